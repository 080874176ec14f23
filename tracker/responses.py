"""HTTP responses shared by the patient's pages and the physio's admin: charts, the PDF report,
downloads, uploaded photos and videos. Callers check access first; these only ever read the
`patient` (or the file) they are given."""

import re

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from tracker import questionnaires, ratelimits
from tracker.charts import cache as chart_cache
from tracker.charts import data as chart_data
from tracker.charts import questionnaires as questionnaire_charts
from tracker.charts.figures import CONTENT_TYPES, FORMATS
from tracker.models import ExerciseMedia, User
from tracker.report import build_report
from tracker.selectors.versions import cached_data_versions
from tracker.services.exports import CsvExport, csv_bytes

ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def chart_response(request: HttpRequest, patient: User, name: str, fmt: str) -> HttpResponse:
    """One chart of `patient`: 304 when the browser's copy is still current, else from the shared
    cache (tracker.charts.cache), drawn only when nobody has asked for it since her last change.
    Only a drawing counts against the user's "charts" rate limit (429 over it)."""
    if name not in chart_data.CHART_NAMES or fmt not in FORMATS:
        raise Http404("No such chart.")
    options = chart_data.ChartOptions.from_query(request.GET)
    size = chart_data.size_from_query(request.GET)
    stamp = cached_data_versions(patient)[name]  # changes only with what this chart draws
    etag = quote_etag(f"{stamp}-{name}-{fmt}-{size}-{options.querystring()}")
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, private=True, no_cache=True)
        return not_modified
    try:
        packed = chart_cache.gzipped_chart(
            patient, name, fmt, size=size, options=options, stamp=stamp, today=timezone.localdate(),
            before_drawing=lambda: ratelimits.count(request, "charts"),
        )
    except ratelimits.RateLimited as limited:
        return ratelimits.too_many_requests(request, limited.seconds)
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(packed, content_type=CONTENT_TYPES[fmt])
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"  # as Django's GZipMiddleware does: the same chart, another encoding
    else:
        response = HttpResponse(chart_cache.unpack(packed), content_type=CONTENT_TYPES[fmt])
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def questionnaire_chart_response(request: HttpRequest, patient: User, slug: str, fmt: str) -> HttpResponse:
    """The chart of one questionnaire (`slug` e.g. "lefs") of `patient`, never cached by proxies."""
    code = questionnaires.from_slug(slug)
    if code is None or fmt not in FORMATS:
        raise Http404("No such chart.")
    body = questionnaire_charts.build(patient, code).render(fmt, size=chart_data.size_from_query(request.GET))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
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


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(file, length: int):
    try:
        while length > 0:
            data = file.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        file.close()


def media_response(request: HttpRequest, media: ExerciseMedia) -> HttpResponse:
    """An uploaded photo or video, streamed from storage (local or S3) after the caller's access check.

    Answers a single byte range (206) as phones' video players ask for one; never cached.
    """
    try:
        size = media.file.size
        file = media.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing from storage.") from None
    start, end, status = 0, size - 1, 200
    match = RANGE.match(request.headers.get("Range", ""))
    if match and (match[1] or match[2]):
        if match[1]:
            start, end = int(match[1]), min(int(match[2] or size - 1), size - 1)
        else:
            start = max(size - int(match[2]), 0)
        if start > end or start >= size:
            file.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status = 206
        file.seek(start)
    length = end - start + 1
    response = StreamingHttpResponse(_chunks(file, length), status=status, content_type=media.content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response
