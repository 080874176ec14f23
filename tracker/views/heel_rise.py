from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker import metrics
from tracker.charts.data import norm_label
from tracker.forms.heel_rise import HeelRiseForm
from tracker.models import HeelRiseTest, PatientProfile
from tracker.ratelimits import rate_limited
from tracker.responses import csv_download
from tracker.selectors import heel_rise as selectors
from tracker.selectors.flags import exercise_paused
from tracker.services import exports
from tracker.views.common import confirm_and_delete, filter_by_date_range, paginate, patient_required


def norm_source(sex: str) -> str:
    if sex in metrics.NORM_GROUPS:
        return "Hébert-Losier 2017, 566 adults"
    return "Lunsford & Perry 1995; add your sex in your profile for a sex-specific median"


def _saved_message(test: HeelRiseTest, profile: PatientProfile) -> str:
    """E.g. "Saved: left 12, right 27 — LSI 44.4% (target 90%: not reached yet)"."""
    lsi = test.symmetry(profile.affected_side).lsi
    lsi_text = "— (no rises on the uninvolved side)" if lsi is None else f"{lsi:.1f}%"
    verdict = metrics.heel_rise_verdict(lsi, profile.target_lsi)
    status = "reached" if verdict.target_reached else "not reached yet"
    return (
        f"Saved: left {test.reps_left}, right {test.reps_right} — LSI {lsi_text} "
        f"(target {verdict.target_lsi:g}%: {status})"
    )


def _form_page(request: HttpRequest, test: HeelRiseTest) -> HttpResponse:
    """Shared by new and edit: validate, save, say the LSI, back to the list."""
    profile = request.user.profile
    last_surface = selectors.last_surface(request.user)
    form = HeelRiseForm(request.POST or None, instance=test, last_surface=last_surface)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _saved_message(saved, profile))
        return redirect("heel_rise_list")
    return render(
        request,
        "tracker/heel_rise/form.html",
        {
            "form": form,
            "test": test,
            "norm": norm_label(profile.sex),
            "exercise_paused": test.pk is None and exercise_paused(request.user, today=timezone.localdate()),
        },
    )


@patient_required
@require_GET
def heel_rise_list(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    tests, filter_form, querystring = filter_by_date_range(
        request, selectors.tests_with_previous(request.user)
    )
    page_obj = paginate(request, tests)
    context = {
        "page_obj": page_obj,
        "rows": selectors.build_rows(
            page_obj,
            affected_side=profile.affected_side,
            target_lsi=float(profile.target_lsi),
            first=selectors.first_test(request.user),
        ),
        "filter_form": filter_form,
        "querystring": querystring,
        "profile": profile,
        "norm": norm_label(profile.sex),
        "norm_source": norm_source(profile.sex),
        "exercise_paused": exercise_paused(request.user, today=timezone.localdate()),
    }
    return render(request, "tracker/heel_rise/list.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def heel_rise_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, HeelRiseTest(patient=request.user))


@patient_required
@require_http_methods(["GET", "POST"])
def heel_rise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_object_or_404(HeelRiseTest, pk=pk, patient=request.user))


@patient_required
@require_POST
def heel_rise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    test = get_object_or_404(HeelRiseTest, pk=pk, patient=request.user)
    return confirm_and_delete(
        request,
        test,
        label="heel-rise test",
        detail=f"left {test.reps_left}, right {test.reps_right} heel rises",
        success_url=reverse("heel_rise_list"),
        cancel_url=reverse("heel_rise_list"),
    )


@patient_required
@require_GET
@rate_limited("downloads")
def export_heel_rise(request: HttpRequest) -> HttpResponse:
    return csv_download(exports.heel_rise_csv(request.user))
