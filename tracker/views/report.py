"""The printable progress report. Like the charts, the URL has no patient id: she gets her own."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.chart_data import ChartOptions
from tracker.models import User
from tracker.report import build_report
from tracker.views.common import patient_required


def report_response(request: HttpRequest, patient: User) -> HttpResponse:
    """The PDF report of `patient` for the ?range=&site= asked for.

    Callers check access first; the admin can reuse this for a physio's assigned patients.
    """
    today = timezone.localdate()
    body = build_report(patient, options=ChartOptions.from_query(request.GET), today=today)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="calf-rehab-report-{today.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@patient_required
def report(request: HttpRequest) -> HttpResponse:
    return report_response(request, request.user)
