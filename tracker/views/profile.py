from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tracker.forms.profile import AccountForm, ProfileForm
from tracker.models import WEEKDAY_NAMES
from tracker.selectors import reminders
from tracker.views.common import patient_required


@patient_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Her own profile: there is no id in the URL, so nobody else's can be reached."""
    patient_profile = request.user.profile
    # is_valid() copies typed values onto the instances, so keep what is really stored for display.
    saved_unit = patient_profile.unit
    data = request.POST if request.method == "POST" else None
    profile_form = ProfileForm(data, instance=patient_profile)
    account_form = AccountForm(data, instance=request.user)
    if request.method == "POST":
        # Validate both forms first so that every error shows at once.
        profile_ok = profile_form.is_valid()
        account_ok = account_form.is_valid()
        if profile_ok and account_ok:
            with transaction.atomic():
                account_form.save()
                saved = profile_form.save()
            message = "Your profile is saved."
            if saved.unit != saved_unit:
                message += f" Measurements are now shown in {saved.get_unit_display().lower()}."
            messages.success(request, message)
            return redirect("profile")
    context = {
        "profile_form": profile_form,
        "account_form": account_form,
        "physio": patient_profile.physio,
        "unit": saved_unit,
        "reminders": reminders.settings_of(request.user),
        "reminder_days": [
            WEEKDAY_NAMES[day] for day in reminders.session_days_of(request.user, today=timezone.localdate())
        ],
    }
    return render(request, "tracker/profile/profile.html", context)
