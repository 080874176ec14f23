"""Chart images and the PDF report. There is no patient id in these URLs: she only sees her own."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tracker.ratelimits import rate_limited
from tracker.responses import chart_response, report_response
from tracker.views.common import patient_required


@require_GET
@patient_required
def chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    # Rate-limited inside: a drawing counts, a chart from the cache does not.
    return chart_response(request, request.user, name, fmt)


@require_GET
@patient_required
@rate_limited("downloads")
def report(request: HttpRequest) -> HttpResponse:
    return report_response(request, request.user)
