"""Site-wide request handling that no single view should have to remember."""

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """Health data is never kept by a browser or proxy cache.

    Every response to a signed-in user, and every API response, gets `Cache-Control: private,
    no-store` unless the view set a policy itself (the charts: `private, no-cache` with an ETag).
    After logging out, the browser's back button then asks the server again instead of showing
    the page from its cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)  # after the view: an API token's user too
        if request.path.startswith(API_PREFIX) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response
