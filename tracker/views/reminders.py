"""Her reminder settings, and the one-click unsubscribe every reminder or alert e-mail links to."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tracker.forms.reminders import ReminderSettingsForm
from tracker.selectors import reminders as selectors
from tracker.selectors.flags import exercise_paused
from tracker.services import mail
from tracker.views.common import patient_required

TOPIC_WORDS = {
    "reminders": "reminder e-mails",
    "alerts": "urgent alert e-mails",
    "digest": "daily digest e-mails",
}


@patient_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=selectors.settings_of(user),
        programme_days=selectors.programme_days(user, today=timezone.localdate()),
        has_email=bool(user.email),
    )
    if form.is_valid():
        saved = form.save()
        messages.success(request, "Reminders are on." if saved.enabled else "Reminders are off.")
        return redirect("reminder_settings")
    context = {
        "form": form,
        "zone": user.time_zone or timezone.get_default_timezone_name(),
        # The dashboard says her session reminders wait: this page must not look as if they come.
        "exercise_paused": exercise_paused(user, today=timezone.localdate()),
    }
    return render(request, "tracker/reminders/settings.html", context)


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link checker must not unsubscribe anyone); POST stops them, no login needed."""
    found = mail.read_unsubscribe_token(token)
    if found is None:
        return render(request, "tracker/reminders/unsubscribe.html", {"invalid": True}, status=404)
    user, topic = found
    is_patient = hasattr(user, "profile")
    context = {
        "what": TOPIC_WORDS[topic],
        "settings_url": reverse("reminder_settings" if is_patient else "admin:tracker_user_my_settings"),
        "done": request.method == "POST",
    }
    if request.method == "POST":
        mail.unsubscribe(user, topic)
    return render(request, "tracker/reminders/unsubscribe.html", context)
