"""Whole admin pages kept in the cache while nothing they show has changed: the physio's triage home
and her caseload table, which work every rule out over all her patients (at 150 patients, about
150 ms of CPU each; from the cache, a few milliseconds).

A page is kept under the physio's id, her caseload stamp (`selectors.versions.caseload_version`,
worked out on every view, so a change shows at once) and the page's path with its query string.
It is stored with a placeholder where its forms' CSRF tokens were, and every view puts its own
token there. Pages with a message on them (after a "seen" or an action) are neither served from
nor put in the cache: a message shows once. A kept page lives PAGE_SECONDS at most, so that its
frame (her name in the header, the sidebar's links) follows a change within minutes.
"""

import hashlib
import logging
import re
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from tracker.selectors.versions import caseload_version

logger = logging.getLogger("tracker.cache")

PAGE_SECONDS = 300
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_key(request: HttpRequest, profiles: QuerySet) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    return f"admin-page:v2:{request.user.pk}:{caseload_version(profiles, reviewer=request.user)}:{path}"


def cached_page(request: HttpRequest, profiles: QuerySet, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `render()` makes for this request, from the cache when nothing about `profiles`
    (the patients it shows) has changed since it was kept."""
    if request.method != "GET" or len(get_messages(request)):  # len() leaves the messages unread
        return render()
    key = page_key(request, profiles)
    try:
        html = cache.get(key)
    except Exception:
        logger.warning("Cache read failed (admin page); making it", exc_info=True)
        return render()
    if html is not None:
        return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    response = render()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        try:
            cache.set(key, CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode()),
                      PAGE_SECONDS)
        except Exception:
            logger.warning("Cache write failed (admin page)", exc_info=True)
    return response
