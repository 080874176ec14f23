"""Per-user rate limits on the expensive pages (charts, the PDF report, exports, the CSV import).
The charts' limit counts drawings: a chart served from the cache costs about a bare page and is not
counted (tracker.responses.chart_response).

DRF's throttle (a sliding window of request times in the cache) on plain Django views: the same
code as the API's limits, on the same shared cache (settings.CACHES: the database, or Redis), so the
limit holds across every worker. A request over the limit is answered 429 with `Retry-After`.
The rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] under the scope's name.

The limits fail open: when the cache cannot be read or written (Redis down, the database cache's
table locked), the request is served and a warning logged; a rate limit must never take the site
down with it.
"""

import contextlib
import logging
import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger("tracker.ratelimits")


class FailOpen:
    """For a DRF throttle: a cache error lets the request through (and is logged)."""

    def allow_request(self, request, view) -> bool:
        try:
            with _cache_transaction():
                return super().allow_request(request, view)
        except Exception:
            logger.warning("Rate limit %r not counted: the cache failed", self.scope, exc_info=True)
            return True


def _cache_transaction():
    """Inside a transaction, the database cache's queries in a savepoint of their own: a failed one
    must not spoil it. Nothing otherwise (autocommit, or Redis)."""
    in_transaction = transaction.get_connection().in_atomic_block
    if in_transaction and settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        return transaction.atomic()
    return contextlib.nullcontext()


def user_ident(user) -> str:
    # The join time keeps apart two accounts that had the same id (SQLite reuses ids).
    return f"user-{user.pk}-{user.date_joined.timestamp()}"


class PerUserThrottle(FailOpen, SimpleRateThrottle):
    """One allowance per user and scope, whichever session or token she uses."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        # Read at request time (DRF reads it once at import), so settings overrides take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if not (user and user.is_authenticated):
            return None  # these pages redirect a visitor to the login page first
        return self.cache_format % {"scope": self.scope, "ident": user_ident(user)}


def retry_after(throttle: SimpleRateThrottle) -> int:
    return max(1, math.ceil(throttle.wait() or 1))


class RateLimited(Exception):
    """Raised by `count`: the user is over her rate for the scope (`seconds`: when to try again)."""

    def __init__(self, seconds: int):
        super().__init__(f"rate limited for {seconds} s")
        self.seconds = seconds


def count(request: HttpRequest, scope: str) -> None:
    """Count one request against the user's rate for `scope`; over it, raise RateLimited. For a view
    that counts only some of its work (a chart is counted when it has to be drawn, not when it comes
    from the cache)."""
    throttle = PerUserThrottle(scope)
    if not throttle.allow_request(request, None):
        raise RateLimited(retry_after(throttle))


def rate_limited(scope: str, *, methods: tuple[str, ...] | None = None) -> Callable:
    """Decorate a view: over the user's rate for `scope`, answer 429 instead of running it.

    `methods`: count only these (e.g. the import's POSTs, not the page showing its form).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if methods is None or request.method in methods:
                try:
                    count(request, scope)
                except RateLimited as limited:
                    return too_many_requests(request, limited.seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    response = render(request, "429.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
