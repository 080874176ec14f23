"""The clinic's admin site: Django's, with two changes.

- A physio's home (/admin/) is her triage list. Superusers who are not physios keep Django's index
  (the app list and the audit link): they have no caseload of their own. A superuser who is also in
  the Physiotherapists group gets the triage of every patient.
- Staff need their second factor (when REQUIRE_STAFF_2FA is on) and log in on the site's login page,
  which asks for it (tracker.views.two_factor).

This module stays outside the `tracker.admin` package: importing that package registers every
ModelAdmin on `admin.site`, which must exist (this class) before it does.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from tracker.access import is_physio
from tracker.models import PatientProfile


class ClinicAdminSite(admin.AdminSite):
    empty_value_display = "—"  # as the review page and the patient's pages write a missing value

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_STAFF_2FA or request.user.is_verified()

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.method == "GET" and self.has_permission(request):
            return super().login(request, extra_context)  # already in: on to the admin
        return redirect_to_login(request.get_full_path())

    def index(self, request, extra_context=None):
        if is_physio(request.user):
            # The triage lives with the caseload it ranks (admin.triage.TriageHomeMixin).
            return self._registry[PatientProfile].triage_home_view(request, extra_context)
        return super().index(request, extra_context)
