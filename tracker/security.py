"""Small security helpers used by settings."""

from django.conf import settings
from django.http import HttpRequest

AXES_USERNAME_MAX_LENGTH = 255  # axes.models.AccessBase.username


def client_ip(request: HttpRequest) -> str:
    """The address a login attempt came from, for django-axes.

    Behind our own TLS proxy every request arrives from the proxy, so the address is the last
    X-Forwarded-For entry: the one that proxy appended. Entries before it are client-supplied and
    could be forged, so they are never used.
    """
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username of a login attempt, for django-axes, cut to the length axes can store.

    Django's login form does not limit the typed username on the server, and axes keeps it in a
    255-character column: a longer one would make PostgreSQL refuse the insert (a 500).
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return None if username is None else str(username)[:AXES_USERNAME_MAX_LENGTH]
