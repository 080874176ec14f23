"""E-mails: written from templates (a plain-text and an HTML part), with a signed one-click unsubscribe
(RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers), sent through Django's e-mail backend.

An e-mail is first an `Email` (plain data that can wait in the task queue), then a message. No e-mail
carries clinical detail: the templates say what to do and link to pages behind the login.
"""

from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from tracker.models import AlertSettings, ReminderSettings, User

UNSUBSCRIBE_SALT = "tracker.unsubscribe"
# What one click stops: the topic -> (the settings model, its field set to False).
TOPICS = {
    "reminders": (ReminderSettings, "enabled"),
    "alerts": (AlertSettings, "urgent_alerts"),
    "digest": (AlertSettings, "daily_digest"),
}


@dataclass(frozen=True)
class Email:
    """One e-mail to one address, as plain data (what the queue stores)."""

    to: str
    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def absolute_url(path: str) -> str:
    """A link for an e-mail: SITE_URL + the path."""
    return settings.SITE_URL + path


def _account_stamp(user: User) -> int:
    """When the account was made: a token of a deleted account cannot act on a later one of the same id."""
    return int(user.date_joined.timestamp())


def unsubscribe_token(user: User, topic: str) -> str:
    """A signed token naming her account and what to stop (no name or address in it); it works
    without a login and does not expire, as an old e-mail's link must still work."""
    if topic not in TOPICS:
        raise ValueError(f"Unknown topic {topic!r}")
    return signing.dumps([user.pk, _account_stamp(user), topic], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The (user, topic) of a genuine token whose account still exists; None otherwise."""
    try:
        user_id, stamp, topic = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None or _account_stamp(user) != stamp or topic not in TOPICS:
        return None
    return user, topic


def unsubscribe_url(user: User, topic: str) -> str:
    return absolute_url(reverse("unsubscribe", args=[unsubscribe_token(user, topic)]))


def compose(template: str, context: dict, *, to: User, topic: str, settings_path: str) -> Email:
    """An e-mail from templates/emails/<template>_subject.txt, .txt and .html, with the footer's links
    (settings, one-click unsubscribe) and the RFC 8058 headers."""
    link = unsubscribe_url(to, topic)
    context = {
        **context,
        "name": to.first_name or to.get_username(),
        "site_url": settings.SITE_URL,
        "settings_url": absolute_url(settings_path),
        "unsubscribe_url": link,
    }
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    return Email(
        to=to.email,
        subject=subject,
        text=render_to_string(f"emails/{template}.txt", context),
        html=render_to_string(f"emails/{template}.html", context),
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def send(email: Email | dict) -> None:
    """Send now through the configured backend; raises when the server refuses or cannot be reached."""
    if isinstance(email, dict):
        email = Email(**email)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    message.send(fail_silently=False)


def unsubscribe(user: User, topic: str) -> None:
    """One click: stop this topic's e-mails (her settings page turns them on again)."""
    model, setting = TOPICS[topic]
    model.objects.update_or_create(user=user, defaults={setting: False})
