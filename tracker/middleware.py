"""Site-wide request handling that no single view should have to remember."""

import zoneinfo

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from tracker import uploads
from tracker.services import two_factor

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


class SecondFactorMiddleware:
    """A session is signed in only if its login met the two-factor policy.

    The login views note it in the session. A session without the note (from before the user set up
    a second factor, before REQUIRE_STAFF_2FA was turned on, or from a test's force_login) is
    checked once: if the user needs a second factor and the session was not verified with one, it
    is logged out (the request goes on as a visitor's: the login page, the API's 401). API tokens
    have no session and are not affected. After django_otp's OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and request.session.get(two_factor.POLICY_MET) != user.pk:
            if user.is_verified() or not two_factor.needs_second_factor(user):
                request.session[two_factor.POLICY_MET] = user.pk
            else:
                logout(request)
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Each signed-in person's pages in her own time zone (User.time_zone), else the site's TIME_ZONE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UploadHandlersMiddleware:
    """The pages that take a file keep it (tracker.uploads.handlers_for); everywhere else an uploaded
    file is dropped. Before CsrfViewMiddleware: the CSRF check reads the body, and upload handlers
    can only be chosen before that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            handlers = uploads.handlers_for(match.view_name, request) if match else None
            if handlers is not None:
                request.upload_handlers = handlers
        return self.get_response(request)
