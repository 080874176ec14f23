"""/api/v1/progress/: the dashboard's headline numbers."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tracker.selectors import programme, summary

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


PROGRESS = "/api/v1/progress/"


def test_progress_without_data(api, patient):
    body = api.get(PROGRESS).json()
    assert body["patient"] == patient.pk
    assert body["girth"] is None and body["heel_rise"] is None
    assert body["measured_sites"] == []
    assert body["adherence"] == {"done": 0, "expected": 0.0, "percent": None}
    assert body["red_flags"] == []


def test_progress_gives_the_dashboards_headline_numbers(api, patient):
    GirthMeasurementFactory(
        patient=patient,
        date=TODAY - datetime.timedelta(days=60),
        left_1=Decimal("33.0"),
        right_1=Decimal("37.5"),
    )
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, left_1=Decimal("34.6"), right_1=Decimal("37.6"))
    HeelRiseTestFactory(
        patient=patient, date=TODAY - datetime.timedelta(days=30), reps_left=10, reps_right=27
    )
    HeelRiseTestFactory(patient=patient, date=YESTERDAY, reps_left=20, reps_right=27)
    PrescriptionFactory(patient=patient, times_per_week=4)
    ExerciseEntryFactory(
        session=ExerciseSessionFactory(
            patient=patient, performed_at=timezone.now() - datetime.timedelta(days=2)
        ),
        exercise=exercise("eccentric-heel-drop-straight"),
    )
    body = api.get(PROGRESS).json()

    girth = body["girth"]
    expected = summary.girth_headline(
        patient, site="tt10", affected_side="left", target_lsi=90.0, today=TODAY
    )
    assert girth["site"] == "tt10"
    assert girth["symmetry"]["lsi"] == expected.symmetry.lsi == 92.0
    assert girth["involved_change_cm"] == 1.6 and girth["involved_change_real"] is True
    assert girth["asymmetry"] == "marked"
    assert girth["to_target"] == 0.0

    heel = body["heel_rise"]
    assert heel["symmetry"]["lsi"] == 74.1
    assert heel["involved_change"] == 10 and heel["involved_change_real"] is True

    adherence = programme.adherence(patient, start=TODAY - datetime.timedelta(days=13), end=TODAY)
    assert body["adherence"] == adherence
    assert body["adherence"]["done"] == 1
    assert body["this_week"]["prescribed"] == 4


def test_progress_red_flags(api, patient):
    SymptomLogFactory(patient=patient, date=TODAY, flag_tear_pop=True)
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, left_1=Decimal("41.0"), right_1=Decimal("37.0"))
    codes = [flag["code"] for flag in api.get(PROGRESS).json()["red_flags"]]
    assert codes == ["swelling_asymmetry", "tear_pop"]


def test_progress_site_choice(api, patient):
    GirthMeasurementFactory(patient=patient, site="max", date=YESTERDAY)
    assert api.get(PROGRESS, {"site": "max"}).json()["girth"]["site"] == "max"
    # tt10 asked (the default) but never measured: the measured site, as on the dashboard.
    assert api.get(PROGRESS).json()["girth"]["site"] == "max"
    response = api.get(PROGRESS, {"site": "ankle"})
    assert response.status_code == 400
    assert "site" in response.json()


def test_progress_for_a_physio(physio_api, patient, other_patient):
    GirthMeasurementFactory(patient=patient, date=YESTERDAY)
    assert physio_api.get(PROGRESS, {"patient": patient.pk}).json()["patient"] == patient.pk
    assert physio_api.get(PROGRESS, {"patient": other_patient.pk}).status_code == 404
    assert physio_api.get(PROGRESS).status_code == 400


@pytest.mark.django_db
def test_progress_requires_authentication():
    assert APIClient().get(PROGRESS).status_code == 401
