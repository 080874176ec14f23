"""Chart images. There is no patient id in a patient's chart URL: she only ever sees her own."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from tracker import chart_data
from tracker.charts import FORMATS
from tracker.models import User
from tracker.selectors import progress
from tracker.views.common import patient_required

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def chart_response(request: HttpRequest, patient: User, name: str, fmt: str) -> HttpResponse:
    """Render one chart of `patient`, or 304 when the browser's copy is still current.

    Callers check access first; the admin reuses this for a physio's assigned patients.
    """
    if name not in chart_data.CHART_NAMES or fmt not in FORMATS:
        raise Http404("No such chart.")
    options = chart_data.ChartOptions.from_query(request.GET)
    etag = quote_etag(f"{progress.data_version(patient)}-{name}-{fmt}-{options.querystring()}")
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, private=True, no_cache=True)
        return not_modified
    chart = chart_data.build(name, patient, patient.profile, options, timezone.localdate())
    response = HttpResponse(chart.render(fmt), content_type=CONTENT_TYPES[fmt])
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
@patient_required
def chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    return chart_response(request, request.user, name, fmt)
