from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tracker.chart_data import ChartOptions
from tracker.models import PhysioNote
from tracker.selectors import dashboard as dashboard_selectors
from tracker.views.common import patient_required


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not hasattr(request.user, "profile"):
        # Physios and administrators have no patient profile: their home is the admin.
        return redirect("admin:index")
    context = dashboard_selectors.dashboard_summary(request.user, ChartOptions.from_query(request.GET))
    return render(request, "tracker/dashboard.html", context)


@require_POST
@patient_required
def note_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(PhysioNote, pk=pk, patient=request.user, visible_to_patient=True)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    messages.success(request, "Note marked as read.")
    return redirect("dashboard")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
