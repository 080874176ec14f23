"""Small security helpers used by settings."""

from django.conf import settings
from django.http import HttpRequest


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
