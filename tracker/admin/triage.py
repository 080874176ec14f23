"""The physio's triage home (/admin/) and its "seen" action.

The list comes from `tracker.triage.home.triage_home`: her patients with something new, most urgent
first, each with the reasons in words; then the rest of her caseload. "Seen" hides a patient until
something newer comes up, and counts as reading the messages the card showed.

The rendered list is kept in the cache under her caseload stamp (`selectors.versions.
caseload_version`, worked out on every view), so it is made again only after something it shows
has changed (or the date). Its "Seen" forms carry a placeholder for the CSRF token, replaced on
every view with this request's token. Their "as of" is when the list was made: nothing it shows
has changed since.
"""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from tracker.access import patients_of
from tracker.models import PatientProfile
from tracker.selectors.cached import cached
from tracker.selectors.versions import caseload_version
from tracker.services.triage import mark_seen
from tracker.triage.home import triage_home

TEMPLATE = "admin/tracker/triage/home.html"
LIST_TEMPLATE = "admin/tracker/triage/_list.html"
CSRF_PLACEHOLDER = "csrf-token-of-the-request"


class TriageHomeMixin:
    """For PatientProfileAdmin: the triage home (the admin site's index for physios, see
    tracker.admin_site) and the "seen" action (admin.review's URLs)."""

    def triage_home_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        profiles = PatientProfile.objects.filter(user__in=patients_of(request.user))
        context = {
            **self.admin_site.each_context(request),
            "title": "Who needs you today",
            "subtitle": None,
            "triage_list": triage_list(request, profiles),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, TEMPLATE, context)


def triage_list(request: HttpRequest, profiles) -> str:
    """The rendered triage list of these profiles for the logged-in physio, from the cache when
    nothing it shows has changed since it was made."""
    physio = request.user
    key = f"triage-home:v1:{physio.pk}:{caseload_version(profiles, reviewer=physio)}"

    def render_list() -> str:
        context = {
            "home": triage_home(profiles, reviewer=physio),
            "caseload_url": reverse("admin:tracker_patientprofile_changelist"),
            "csrf_token": CSRF_PLACEHOLDER,
        }
        return render_to_string(LIST_TEMPLATE, context)

    # The list holds no request data but the token: safe to put in as it is.
    return mark_safe(cached(key, render_list).replace(CSRF_PLACEHOLDER, get_token(request)))


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
