"""`Authorization: Bearer <token>` authentication with the personal tokens of tracker.services.tokens."""

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tracker.models import ApiToken
from tracker.services.tokens import digest

KEYWORD = "Bearer"
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    """Looks the token up by the SHA-256 digest of what the client presents."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no token: let session authentication try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                f'Invalid Authorization header. Send "{KEYWORD} <token>" with no spaces in the token.'
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Giving a WWW-Authenticate value makes DRF answer 401 (not 403) to unauthenticated requests.
        return f'{KEYWORD} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, created on your profile page: `Authorization: Bearer crt_...`."
            ),
        }
