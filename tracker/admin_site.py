"""The clinic's admin site: staff need their second factor (when REQUIRE_STAFF_2FA is on) and log in
on the site's login page, which asks for it (tracker.views.two_factor). Outside tracker.admin, which
registers the models on this site (the site must exist first)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


class ClinicAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_STAFF_2FA or request.user.is_verified()

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.method == "GET" and self.has_permission(request):
            return super().login(request, extra_context)  # already in: on to the admin
        return redirect_to_login(request.get_full_path())
