"""Error pages Django shows before or outside any view: JSON under /api/, HTML elsewhere.

Rendered without the request (as Django's own handlers are): the request may be the problem.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

API_PREFIX = "/api/"
# Seconds a client is asked to wait when the database is unreachable (a restart, a fail-over).
DATABASE_RETRY_AFTER = 5

logger = logging.getLogger("tracker.errors")


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
    """500; or 503 with Retry-After when the database could not be reached (no bug: try again soon).

    Django calls this while handling the exception (wherever it was raised: a view or a middleware
    reading the session), so sys.exc_info() names it. A write's transaction either committed before
    the error or is rolled back by the database: never half-stored.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.warning("Database unavailable, answered 503: %s", error)
        response = _answer(
            request, 503, "The service is briefly unavailable. Please try again in a few seconds.", "503.html"
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return _answer(request, 500, "Server error. Please try again later.", "500.html")
