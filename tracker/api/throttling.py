"""API rate limits: each API token (or browser session) has its own allowance, and each user one
for all her tokens and sessions together. Counted in the shared cache (settings.CACHES)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tracker.models import ApiToken
from tracker.ratelimits import FailOpen, PerUserThrottle, user_ident


class CredentialRateThrottle(FailOpen, SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        # Read at request time (DRF reads it once at import), so settings overrides take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if not (user and user.is_authenticated):
            return None  # anonymous requests get 401 before they could cost anything
        if isinstance(request.auth, ApiToken):
            # The digest, not the id: ids can be reused by another token after a deletion.
            ident = f"token-{request.auth.digest[:32]}"
        else:
            session_key = getattr(getattr(request, "session", None), "session_key", None)
            # Without a session (tests' force_authenticate): the user.
            ident = f"session-{session_key}" if session_key else user_ident(user)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class UserRateThrottle(PerUserThrottle):
    """All her tokens and sessions together: creating more tokens gives no more requests."""

    def __init__(self):
        super().__init__("api_user")
