"""Calf girth: list, add, edit, delete, CSV export and CSV import."""

import datetime

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tracker.formatting import SITE_NAMES, girth, girth_comparison, girth_goal
from tracker.forms.measurements import GirthMeasurementForm, MeasurementImportForm, duplicate_error
from tracker.models import GirthMeasurement
from tracker.ratelimits import rate_limited
from tracker.responses import csv_download
from tracker.selectors import measurements as selectors
from tracker.services import exports, imports
from tracker.views.common import confirm_and_delete, filter_by_date_range, paginate, patient_required

FORM_TEMPLATE = "tracker/measurements/form.html"
IMPORT_SESSION_KEY = "measurement_import"


@patient_required
def measurement_list(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    measurements, filter_form, querystring = filter_by_date_range(
        request, selectors.measurements_for(request.user)
    )
    page_obj = paginate(request, measurements)
    rows = [selectors.summarise(m, affected_side=profile.affected_side) for m in page_obj]
    return render(
        request,
        "tracker/measurements/list.html",
        {
            "profile": profile,
            "page_obj": page_obj,
            "rows": rows,
            "filter_form": filter_form,
            "querystring": querystring,
            "site_names": list(SITE_NAMES.items()),
        },
    )


def _form_context(request: HttpRequest, form: GirthMeasurementForm, title: str, **extra) -> dict:
    return {
        "form": form,
        "title": title,
        "last_readings": selectors.latest_per_site(request.user),
        "unit": request.user.profile.unit,
        **extra,
    }


def _replacing(request: HttpRequest) -> GirthMeasurement | None:
    """The measurement she chose to replace with what she typed: hers, at the date and site typed."""
    pk, day, site = request.POST.get("replace"), request.POST.get("date"), request.POST.get("site")
    if not (pk and pk.isdigit() and day and site):
        return None
    existing = GirthMeasurement.objects.for_patient(request.user).filter(pk=int(pk), site=site).first()
    return existing if existing is not None and existing.date.isoformat() == day else None


@patient_required
def measurement_new(request: HttpRequest) -> HttpResponse:
    replacing = _replacing(request) if request.method == "POST" else None
    form = GirthMeasurementForm(
        request.POST if request.method == "POST" else None, patient=request.user, instance=replacing
    )
    if form.is_bound and form.is_valid():
        return _save(request, form)
    return render(request, FORM_TEMPLATE, _form_context(request, form, "Add a calf measurement"))


@patient_required
@require_GET
def measurement_check(request: HttpRequest) -> JsonResponse:
    """Whether she already has a measurement at ?site= on ?date= (other than ?exclude=), so that the
    form can say so as soon as she picks the date and site, before she types her readings."""
    site, exclude = request.GET.get("site", ""), request.GET.get("exclude", "")
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = None
    existing = None
    if day is not None and site in GirthMeasurement.Site.values:
        existing = selectors.measurement_on(
            request.user, date=day, site=site, exclude_pk=int(exclude) if exclude.isdigit() else None
        )
    response = JsonResponse(
        {"duplicate": existing is not None, "message": duplicate_error(existing).message if existing else ""}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@patient_required
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(GirthMeasurement, pk=pk, patient=request.user)
    form = GirthMeasurementForm(
        request.POST if request.method == "POST" else None, instance=measurement, patient=request.user
    )
    if form.is_bound and form.is_valid():
        return _save(request, form)
    context = _form_context(request, form, "Edit calf measurement", measurement=measurement)
    return render(request, FORM_TEMPLATE, context)


def _save(request: HttpRequest, form: GirthMeasurementForm) -> HttpResponse:
    """Save, then report the means, symmetry and any swelling red flag at once."""
    try:
        with transaction.atomic():
            measurement = form.save()
    except IntegrityError:
        # Saved by another tab between validation and save: same answer as the form check.
        existing = selectors.measurement_on(
            request.user, date=form.cleaned_data["date"], site=form.cleaned_data["site"]
        )
        if existing is None:
            raise
        form.duplicate = existing
        form.add_error("date", duplicate_error(existing))
        title = "Edit calf measurement" if form.instance.pk else "Add a calf measurement"
        return render(request, FORM_TEMPLATE, _form_context(request, form, title))
    profile = request.user.profile
    previous = selectors.previous_at_site(request.user, site=measurement.site, before=measurement.date)
    summary = selectors.summarise(measurement, affected_side=profile.affected_side, previous=previous)
    for flag in summary.flags:
        messages.error(request, flag.message)
    messages.success(request, saved_message(summary, unit=profile.unit))
    return redirect("measurement_list")


def saved_message(summary: selectors.MeasurementSummary, *, unit: str) -> str:
    """E.g. "Saved: left 34.2 cm, right 37.6 cm — left calf 3.4 cm smaller: marked deficit (> 2 cm);
    goal: less than 1 cm smaller (not reached yet)."; girth is judged in cm, never by LSI."""
    m = summary.measurement
    return (
        f"Saved: left {girth(m.left_cm, unit)}, right {girth(m.right_cm, unit)} — "
        f"{girth_comparison(summary.symmetry, unit).lower()}: {summary.asymmetry_label.lower()}; "
        f"{girth_goal(summary.goal_reached, unit)}."
    )


@patient_required
@require_POST
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(GirthMeasurement, pk=pk, patient=request.user)
    unit = request.user.profile.unit
    return confirm_and_delete(
        request,
        measurement,
        label="calf measurement",
        success_url=reverse("measurement_list"),
        cancel_url=reverse("measurement_list"),
        detail=f"left {girth(measurement.left_cm, unit)}, right {girth(measurement.right_cm, unit)}",
    )


@patient_required
@require_GET
@rate_limited("downloads")
def export_measurements(request: HttpRequest) -> HttpResponse:
    return csv_download(exports.measurement_csv(request.user))


@patient_required
@rate_limited("imports", methods=("POST",))
def import_measurements(request: HttpRequest) -> HttpResponse:
    # Her file stays in memory, never in a temporary file (tracker.uploads, chosen by this URL's name).
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.info(request, "Import cancelled; nothing was imported.")
        return redirect("measurement_list")
    form = MeasurementImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_bound and form.is_valid():
        try:
            result = imports.preview(
                form.cleaned_data["file"].read(),
                patient=request.user,
                date_format=form.cleaned_data["date_format"],
                stored=selectors.stored_dates_and_sites(request.user),
            )
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "rows": result.new_values,
                "skipped": result.duplicate_count + result.invalid_count,
            }
            return render(
                request,
                "tracker/measurements/import_preview.html",
                {"preview": result, "unit": request.user.profile.unit},
            )
    return render(request, "tracker/measurements/import.html", {"form": form})


def _confirm_import(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending:
        messages.warning(request, "There is nothing to import. Upload the file again.")
        return redirect("import_measurements")
    try:
        imported, skipped = imports.import_rows(request.user, pending["rows"])
    except DatabaseError:
        messages.error(
            request, "Nothing was imported: the database refused a row. Please try again."
        )
        return redirect("import_measurements")
    del request.session[IMPORT_SESSION_KEY]
    skipped += pending["skipped"]
    plural = "" if imported == 1 else "s"
    messages.success(
        request,
        f"Imported {imported} measurement{plural}; skipped {skipped} row{'' if skipped == 1 else 's'} "
        "(duplicates or invalid).",
    )
    return redirect("measurement_list")
