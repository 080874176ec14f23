"""Error pages Django shows before or outside any view: JSON under /api/, HTML elsewhere.

Rendered without the request (as Django's own handlers are): the request may be the problem.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

API_PREFIX = "/api/"


def _answer(request: HttpRequest, status: int, detail: str, template: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    return HttpResponse(loader.get_template(template).render({"detail": detail}), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (which Django reports as a 400)."""
    if isinstance(exception, RequestDataTooBig):
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _answer(request, 413, f"The request body is too large (at most {limit_mb} MB).", "413.html")
    return _answer(request, 400, "Bad request.", "400.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, "Server error. Please try again later.", "500.html")
