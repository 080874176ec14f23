"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and single-use recovery codes.

Required for staff and superusers when settings.REQUIRE_STAFF_2FA is on; optional for patients.
A session counts as signed in only once the login policy is met (tracker.middleware): password,
then a code when the user has a second factor (or must have one).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.models import User

# In the session: the id of the user whose login met the policy (set by the login views, checked by
# tracker.middleware.SecondFactorMiddleware).
POLICY_MET = "login_policy_met"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
CODES_DEVICE_NAME = "Recovery codes"


@receiver(user_logged_in, dispatch_uid="tracker-login-policy")
def note_login_policy(sender, request, user, **kwargs) -> None:
    """A login by password alone meets the policy when the user needs no second factor (a login
    verified with one is noted by tracker.views.two_factor once the device is known)."""
    session = getattr(request, "session", None)
    if session is not None and not needs_second_factor(user):
        session[POLICY_MET] = user.pk


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def must_have_second_factor(user: User) -> bool:
    """Staff and superusers, while REQUIRE_STAFF_2FA is on."""
    return settings.REQUIRE_STAFF_2FA and (user.is_staff or user.is_superuser)


def needs_second_factor(user: User) -> bool:
    return must_have_second_factor(user) or has_second_factor(user)


def new_app_device(user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator-app device (replacing an unconfirmed one from before)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def pending_app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def confirm_app_device(device: TOTPDevice, code: str, *, keep_session: str | None = None) -> list[str] | None:
    """Confirm the device with a code from the app: her new recovery codes, or None if wrong.

    Her other sessions end (they were signed in without a second factor); `keep_session` stays.
    """
    if not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()  # one app at a time
    device.confirmed = True
    device.save()
    end_other_sessions(device.user, keep=keep_session)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """RECOVERY_CODE_COUNT new single-use codes (the old ones stop working). Shown to her once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=CODES_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(user: User, code: str):
    """The device that accepts `code` (an app code, or a recovery code, which is then used up)."""
    code = "".join(code.split()).lower()
    return match_token(user, code) if code else None


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_second_factor(user: User) -> None:
    """Her app and recovery codes go (she turned it off, or an administrator reset a lost device)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def end_other_sessions(user: User, *, keep: str | None) -> None:
    """Log her out everywhere else (after turning two-factor sign-in on, those sessions had none)."""
    for session in Session.objects.iterator():
        if session.session_key != keep and session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
