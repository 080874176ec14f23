"""One calf 4 cm larger than the other: the side-to-side swelling rule applies at tt10 and max only.

The same measurement gives the same flag on every surface that shows flags: the dashboard, the
measurements page, the PDF report, the API's progress and measurements, and the physio's caseload.
"""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from tests.factories import GirthMeasurementFactory, PatientFactory, PhysioFactory
from tests.helpers import text_of
from tracker.metrics import SWELLING_MESSAGE

WARNING = "Sudden calf swelling can be a sign of a blood clot"
SITES = [("tt15", False), ("tt10", True), ("max", True)]


@pytest.fixture
def physio(db):
    return PhysioFactory(username="surface_physio")


@pytest.fixture
def swollen(physio):
    """The left (affected) calf 4 cm larger than the right, measured yesterday at the given site."""

    def make(site: str):
        patient = PatientFactory(username=f"swollen_{site}")
        patient.profile.physio = physio
        patient.profile.affected_side = "left"
        patient.profile.save()
        GirthMeasurementFactory(
            patient=patient,
            site=site,
            date=timezone.localdate() - timezone.timedelta(days=1),
            left_1=Decimal("41.0"),
            right_1=Decimal("37.0"),
        )
        return patient

    return make


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_warning_is_the_metrics_message():
    assert SWELLING_MESSAGE.startswith(WARNING)


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_dashboard(client, swollen, site, flagged):
    page = text_of(logged_in(client, swollen(site)).get(reverse("dashboard")))
    assert (WARNING in page) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_measurements_page(client, swollen, site, flagged):
    page = text_of(logged_in(client, swollen(site)).get(reverse("measurement_list")))
    assert (WARNING in page) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_pdf_report(client, swollen, site, flagged):
    body = logged_in(client, swollen(site)).get(reverse("report")).content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())
    assert (WARNING in text) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_api_progress(swollen, site, flagged):
    api = APIClient()
    api.force_authenticate(swollen(site))
    codes = [flag["code"] for flag in api.get("/api/v1/progress/").json()["red_flags"]]
    assert ("swelling_asymmetry" in codes) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_api_measurements(swollen, site, flagged):
    api = APIClient()
    api.force_authenticate(swollen(site))
    [measurement] = api.get("/api/v1/measurements/").json()["results"]
    assert ("swelling_asymmetry" in [flag["code"] for flag in measurement["red_flags"]]) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_caseload(client, physio, swollen, site, flagged):
    swollen(site)
    page = text_of(logged_in(client, physio).get("/admin/tracker/patientprofile/?red_flag=yes"))
    assert bool(re.search(r"urgent: \w+ calf [\d.]+ cm larger than the \w+", page)) is flagged


@pytest.mark.parametrize(("site", "flagged"), SITES)
def test_triage_home(client, physio, swollen, site, flagged):
    swollen(site)
    page = text_of(logged_in(client, physio).get("/admin/"))
    assert bool(re.search(r"urgent: \w+ calf [\d.]+ cm larger than the \w+", page)) is flagged
