"""The clinic's admin site: Django's, with a physio's home (/admin/) replaced by her triage list.

Superusers who are not physios keep Django's index (the app list and the audit link): they have no
caseload of their own, and "new data since your review" only means something for a physio who
reviews. A superuser who is also in the Physiotherapists group gets the triage of every patient.

This module stays outside the `tracker.admin` package: importing that package registers every
ModelAdmin on `admin.site`, which must exist (this class) before it does.
"""

from django.contrib import admin

from tracker.access import is_physio
from tracker.models import PatientProfile


class ClinicAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        if is_physio(request.user):
            # The triage lives with the caseload it ranks (admin.triage.TriageHomeMixin).
            return self._registry[PatientProfile].triage_home_view(request, extra_context)
        return super().index(request, extra_context)
