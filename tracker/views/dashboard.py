"""The patient's home: red flags, notes from her physio, headline numbers and progress charts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tracker.charts import data as chart_data
from tracker.charts.data import CHART_NAMES
from tracker.models import PhysioNote
from tracker.selectors import series
from tracker.selectors.notes import unread_notes
from tracker.selectors.questionnaires import due_questionnaires
from tracker.selectors.summary import progress_summary
from tracker.views.common import patient_required


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not hasattr(request.user, "profile"):
        # Physios and administrators have no patient profile: their home is the admin.
        return redirect("admin:index")
    patient, today = request.user, timezone.localdate()
    options = chart_data.ChartOptions.from_query(request.GET)
    summary = progress_summary(patient, site=options.site, today=today)
    if summary.site is not None:
        options = chart_data.ChartOptions(range_key=options.range_key, site=summary.site)
    context = {
        "profile": patient.profile,
        "physio": patient.profile.physio,
        "today": today,
        "summary": summary,
        "options": options,
        "unread_notes": list(unread_notes(patient)),
        "due_questionnaires": due_questionnaires(patient, today),
        "charts": [chart_data.build(name, patient, patient.profile, options, today) for name in CHART_NAMES],
        "ranges": [(key, label) for key, (label, _days) in series.RANGES.items()],
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
