"""The physio's triage home (/admin/) and its "seen" action.

The list comes from `tracker.triage.home.triage_home`: her patients with something new, most urgent
first, each with the reasons in words; then the rest of her caseload. "Seen" hides a patient until
something newer comes up, and counts as reading the messages the card showed.

The page is kept in the cache while nothing it shows has changed (admin.page_cache). The "as of"
of its "Seen" forms is when the list was made: nothing it shows has changed since.
"""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tracker.access import patients_of
from tracker.admin.page_cache import cached_page
from tracker.models import PatientProfile
from tracker.services.triage import mark_seen
from tracker.triage.home import triage_home

TEMPLATE = "admin/tracker/triage/home.html"


class TriageHomeMixin:
    """For PatientProfileAdmin: the triage home (the admin site's index for physios, see
    tracker.admin_site) and the "seen" action (admin.review's URLs)."""

    def triage_home_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        profiles = PatientProfile.objects.filter(user__in=patients_of(request.user))

        def render() -> HttpResponse:
            context = {
                **self.admin_site.each_context(request),
                "title": "Who needs you today",
                "subtitle": None,
                "home": triage_home(profiles, reviewer=request.user),
                "caseload_url": reverse("admin:tracker_patientprofile_changelist"),
                **(extra_context or {}),
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, TEMPLATE, context)

        return cached_page(request, profiles, render)


def seen_as_of(request: HttpRequest) -> datetime.datetime:
    """The moment the card was shown (from the form), never later than now."""
    now = timezone.now()
    shown = parse_datetime(request.POST.get("as_of", "") or "")
    if shown is None or timezone.is_naive(shown) or shown > now:
        return now
    return shown


def seen_view(model_admin, request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    mark_seen(physio=request.user, patient=profile.user, as_of=seen_as_of(request))
    model_admin.message_user(
        request,
        f"{profile.user.display_name()}: seen. She leaves this list until something new comes up.",
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("admin:index"))
