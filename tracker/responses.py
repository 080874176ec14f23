"""HTTP responses shared by the patient's pages and the physio's admin: charts, the PDF report and
downloads. Callers check access first; these only ever read the `patient` they are given."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from tracker.charts import data as chart_data
from tracker.charts.figures import CONTENT_TYPES, FORMATS
from tracker.models import User
from tracker.report import build_report
from tracker.selectors.versions import data_version
from tracker.services.exports import CsvExport, csv_bytes


def chart_response(request: HttpRequest, patient: User, name: str, fmt: str) -> HttpResponse:
    """Render one chart of `patient`, or 304 when the browser's copy is still current."""
    if name not in chart_data.CHART_NAMES or fmt not in FORMATS:
        raise Http404("No such chart.")
    options = chart_data.ChartOptions.from_query(request.GET)
    size = chart_data.size_from_query(request.GET)
    etag = quote_etag(f"{data_version(patient)}-{name}-{fmt}-{size}-{options.querystring()}")
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, private=True, no_cache=True)
        return not_modified
    chart = chart_data.build(name, patient, patient.profile, options, timezone.localdate())
    response = HttpResponse(chart.render(fmt, size=size), content_type=CONTENT_TYPES[fmt])
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def report_response(request: HttpRequest, patient: User) -> HttpResponse:
    """The PDF report of `patient` for the ?range=&site= asked for."""
    today = timezone.localdate()
    body = build_report(patient, options=chart_data.ChartOptions.from_query(request.GET), today=today)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="calf-rehab-report-{today.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def download(body: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to save, never kept by a browser cache or a proxy."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_download(export: CsvExport) -> HttpResponse:
    return download(csv_bytes(export), filename=export.filename, content_type="text/csv; charset=utf-8")


def zip_download(body: bytes, *, filename: str) -> HttpResponse:
    return download(body, filename=filename, content_type="application/zip")
