"""Daily symptom check-in: one per day, with a body map of the back of both calves."""

import datetime
import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker import metrics
from tracker.forms.symptoms import (
    DaySwitchForm,
    SymptomLogForm,
    red_flag_labels,
    tender_point_short_names,
)
from tracker.models import EARLIEST_DATE, SymptomLog
from tracker.ratelimits import rate_limited
from tracker.responses import csv_download
from tracker.selectors import symptoms as selectors
from tracker.services import exports
from tracker.views.common import confirm_and_delete, filter_by_date_range, paginate, patient_required

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_day(value: str) -> datetime.date:
    """The date in the URL; a malformed, future or pre-1900 date is a 404."""
    if not ISO_DAY.fullmatch(value):
        raise Http404("Not a date.")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date.") from None
    if not EARLIEST_DATE <= day <= timezone.localdate():
        raise Http404("No check-in is possible for that date.")
    return day


def _long_date(day: datetime.date) -> str:
    return format_date(day, "j F Y")


@patient_required
@require_GET
def symptom_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    logs, filter_form, querystring = filter_by_date_range(request, selectors.symptom_logs(request.user))
    page_obj = paginate(request, logs)
    rows = [
        {"log": log, "points": tender_point_short_names(log), "flags": red_flag_labels(log)}
        for log in page_obj
    ]
    context = {
        "page_obj": page_obj,
        "rows": rows,
        "filter_form": filter_form,
        "querystring": querystring,
        "today": today,
        "checked_in_today": selectors.symptom_log_on(request.user, today) is not None,
        "switcher": DaySwitchForm(today=today),
    }
    return render(request, "tracker/symptoms/list.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def symptom_day(request: HttpRequest, day: str) -> HttpResponse:
    date = _parse_day(day)
    today = timezone.localdate()
    if "day" in request.GET:
        switcher = DaySwitchForm(request.GET, today=today)
        if switcher.is_valid():
            return redirect("symptom_day", day=switcher.cleaned_data["day"].isoformat())
    else:
        switcher = DaySwitchForm(initial={"day": date}, today=today)

    # The URL carries no id: the row is found by patient + date, so a second check-in on the same
    # day edits the first, and another patient's row can never be reached.
    log = selectors.symptom_log_on(request.user, date)
    form = SymptomLogForm(
        request.POST if request.method == "POST" else None,
        instance=log or SymptomLog(patient=request.user, date=date),
    )
    if form.is_valid():
        # update_or_create also survives a double-tapped Save racing to create the same day.
        saved, created = SymptomLog.objects.update_or_create(
            patient=request.user, date=date, defaults=form.cleaned_data
        )
        for flag in metrics.symptom_flags(saved.red_flag_codes()):
            messages.error(request, flag.message)
        verb = "saved" if created else "updated"
        messages.success(request, f"Check-in for {_long_date(date)} {verb}.")
        return redirect("symptom_list")

    context = {
        "form": form,
        "log": log,
        "day": date,
        "is_today": date == today,
        "previous_day": date - datetime.timedelta(days=1) if date > EARLIEST_DATE else None,
        "next_day": date + datetime.timedelta(days=1) if date < today else None,
        "switcher": switcher,
        "saved_flags": metrics.symptom_flags(log.red_flag_codes()) if log and not form.is_bound else [],
    }
    return render(request, "tracker/symptoms/day.html", context)


@patient_required
@require_POST
def symptom_delete(request: HttpRequest, day: str) -> HttpResponse:
    date = _parse_day(day)
    log = get_object_or_404(SymptomLog, patient=request.user, date=date)
    return confirm_and_delete(
        request,
        log,
        label="check-in",
        success_url=reverse("symptom_list"),
        cancel_url=reverse("symptom_day", kwargs={"day": day}),
    )


@patient_required
@require_GET
@rate_limited("downloads")
def export_symptoms(request: HttpRequest) -> HttpResponse:
    return csv_download(exports.symptom_csv(request.user))
