"""The patient's home: red flags, notes from her physio, headline numbers and progress charts.

Everything worked out from her records (the headline numbers, red flags, the charts' alt texts and
data tables) is rendered once per data stamp and chart options and kept in the cache
(`selectors.cached`), so a page view after the first costs a handful of small queries: her profile,
her unread notes and her questionnaires, and two cache reads: the stamp, kept in the cache between
her writes as the charts' are (`versions.cached_data_versions`: about 1 ms of SQL at 3 years of
data otherwise), then the parts.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from tracker import metrics
from tracker.charts import data as chart_data
from tracker.charts.data import CHART_NAMES
from tracker.models import PatientProfile, PhysioNote
from tracker.selectors import cached, series
from tracker.selectors import sessions as session_selectors
from tracker.selectors.notes import unread_notes
from tracker.selectors.questionnaires import due_questionnaires
from tracker.selectors.versions import ALL, cached_data_versions
from tracker.views.common import patient_required


@dataclasses.dataclass(frozen=True)
class StampedParts:
    """What the dashboard shows from her records: the same until her data stamp changes."""

    red_flags: list
    options: chart_data.ChartOptions  # the site falls back to one she has measured
    numbers_html: str  # the headline cards
    charts_html: str  # the chart options, the charts and their tables
    has_programme: bool  # a prescription is active today (prescriptions are in the stamp)


def stamped_parts(patient, requested: chart_data.ChartOptions, *, stamp: str, today) -> StampedParts:
    summary = cached.progress_summary(patient, stamp=stamp, site=requested.site, today=today)
    options = requested
    if summary.site is not None:
        options = chart_data.ChartOptions(range_key=requested.range_key, site=summary.site)
    profile = patient.profile
    charts = [chart_data.build(name, patient, profile, options, today) for name in CHART_NAMES]
    ranges = [(key, label) for key, (label, _days) in series.RANGES.items()]
    return StampedParts(
        red_flags=summary.red_flags,
        options=options,
        numbers_html=render_to_string(
            "tracker/_dashboard_numbers.html", {"summary": summary, "profile": profile}
        ),
        charts_html=render_to_string(
            "tracker/_dashboard_charts.html",
            {"summary": summary, "options": options, "charts": charts, "ranges": ranges},
        ),
        has_programme=session_selectors.has_programme(patient, today),
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    patient, today = request.user, timezone.localdate()
    profile = PatientProfile.objects.select_related("physio").filter(user=patient).first()
    if profile is None:
        # Physios and administrators have no patient profile: their home is the admin.
        return redirect("admin:index")
    patient.profile = profile  # one query for her profile and her physio
    requested = chart_data.ChartOptions.from_query(request.GET)
    stamp = cached_data_versions(patient)[ALL]
    # "v12": bump it when StampedParts or its templates change, so no old entry is read after a deploy.
    key = cached.patient_key("dashboard-v12", patient, stamp, requested.range_key, requested.site, today)
    parts = cached.cached(key, lambda: stamped_parts(patient, requested, stamp=stamp, today=today))
    context = {
        "profile": profile,
        "physio": profile.physio,
        "today": today,
        "parts": parts,
        "options": parts.options,
        "exercise_paused": metrics.pauses_exercise(parts.red_flags),
        "unread_notes": list(unread_notes(patient)),
        "due_questionnaires": due_questionnaires(patient, today),
    }
    return render(request, "tracker/dashboard.html", context)


@require_POST
@patient_required
def note_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's "Mark as read": the same read receipt as opening her messages."""
    note = get_object_or_404(PhysioNote, pk=pk, patient=request.user, visible_to_patient=True)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    messages.success(request, "Note marked as read. All your notes and messages are under Messages.")
    return redirect("dashboard")
