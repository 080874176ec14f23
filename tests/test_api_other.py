"""/api/v1/ heel-rise, symptoms, prescriptions, exercises and progress."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api_helpers import error_messages, token_client
from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tracker.models import Exercise, HeelRiseTest, Prescription, SymptomLog
from tracker.selectors import programme, summary

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def no_throttle_history():
    cache.clear()


@pytest.fixture
def api(patient):
    return token_client(patient)


@pytest.fixture
def physio_api(physio, patient):
    patient.profile.physio = physio
    patient.profile.save()
    return token_client(physio)


# --- Heel-rise tests ---------------------------------------------------------------------------------

HEEL_RISE = "/api/v1/heel-rise/"


def test_heel_rise_create_returns_lsi_and_changes(api, patient):
    HeelRiseTestFactory(
        patient=patient, date=TODAY - datetime.timedelta(days=14), reps_left=10, reps_right=27
    )
    data = {"date": YESTERDAY.isoformat(), "reps_left": 18, "reps_right": 28, "incline": 10}
    response = api.post(HEEL_RISE, data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert HeelRiseTest.objects.get(pk=body["id"]).patient == patient
    assert body["symmetry"] == {
        "lsi": 64.3,
        "difference": -10.0,
        "involved_side": "left",
        "smaller_side": "left",
    }
    assert body["changes"] == [
        {"side": "Left", "delta": 8, "real": True},  # >= 6 reps beats the test-retest error
        {"side": "Right", "delta": 1, "real": False},
    ]


def test_the_first_heel_rise_test_has_no_changes(api):
    response = api.post(
        HEEL_RISE, {"date": YESTERDAY.isoformat(), "reps_left": 0, "reps_right": 0}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["changes"] == []
    assert response.json()["symmetry"]["lsi"] is None  # nothing to compare with


@pytest.mark.parametrize(
    "field, value",
    [("reps_left", 201), ("reps_right", -1), ("incline", 5), ("date", "1850-01-01"), ("reps_left", "many")],
)
def test_heel_rise_validation(api, field, value):
    data = {"date": YESTERDAY.isoformat(), "reps_left": 12, "reps_right": 27, "incline": 0, field: value}
    response = api.post(HEEL_RISE, data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not HeelRiseTest.objects.exists()


def test_heel_rise_isolation_and_delete(api, patient, other_patient):
    theirs = HeelRiseTestFactory(patient=other_patient)
    mine = HeelRiseTestFactory(patient=patient)
    assert api.get(f"{HEEL_RISE}{theirs.pk}/").status_code == 404
    assert api.delete(f"{HEEL_RISE}{theirs.pk}/").status_code == 404
    assert [row["id"] for row in api.get(HEEL_RISE).json()["results"]] == [mine.pk]
    assert api.patch(f"{HEEL_RISE}{mine.pk}/", {"reps_left": 15}, format="json").json()["reps_left"] == 15
    assert api.delete(f"{HEEL_RISE}{mine.pk}/").status_code == 204
    assert HeelRiseTest.objects.filter(pk=theirs.pk).exists()


def test_heel_rise_date_filter(api, patient):
    HeelRiseTestFactory(patient=patient, date=TODAY - datetime.timedelta(days=30))
    recent = HeelRiseTestFactory(patient=patient, date=TODAY - datetime.timedelta(days=2))
    response = api.get(HEEL_RISE, {"date_from": (TODAY - datetime.timedelta(days=7)).isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


# --- Symptom check-ins -------------------------------------------------------------------------------

SYMPTOMS = "/api/v1/symptoms/"


def test_symptom_check_in_with_a_red_flag(api, patient):
    data = {
        "date": YESTERDAY.isoformat(),
        "pain_at_rest": 2,
        "night_cramps": 1,
        "tp_left_lower_medial": True,
        "flag_dvt_signs": True,
    }
    response = api.post(SYMPTOMS, data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert SymptomLog.objects.get(pk=body["id"]).patient == patient
    assert body["tender_points"] == ["Left calf, lower medial (an inch or two lower, inner side)"]
    assert [flag["code"] for flag in body["red_flags"]] == ["dvt_signs"]
    assert body["red_flags"][0]["level"] == "urgent"
    assert "Seek urgent medical care today" in body["red_flags"][0]["message"]


def test_one_check_in_per_day(api, patient):
    existing = SymptomLogFactory(patient=patient, date=YESTERDAY)
    response = api.post(SYMPTOMS, {"date": YESTERDAY.isoformat()}, format="json")
    assert response.status_code == 400
    assert error_messages(response, "date") == [
        f"You already have a check-in on {YESTERDAY.isoformat()} (id {existing.pk}). Update that one instead."
    ]
    # Updating that day's own check-in is fine.
    response = api.patch(
        f"{SYMPTOMS}{existing.pk}/", {"date": YESTERDAY.isoformat(), "stiffness": 7}, format="json"
    )
    assert response.status_code == 200 and response.json()["stiffness"] == 7


@pytest.mark.parametrize(
    "field, value",
    [
        ("pain_at_rest", 11),
        ("night_cramps", 21),
        ("stiffness", -1),
        ("date", (TODAY + datetime.timedelta(days=1)).isoformat()),
        ("limping", "perhaps"),
    ],
)
def test_symptom_validation(api, field, value):
    response = api.post(SYMPTOMS, {"date": YESTERDAY.isoformat(), field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SymptomLog.objects.exists()


def test_symptom_isolation(api, other_patient):
    theirs = SymptomLogFactory(patient=other_patient)
    assert api.get(f"{SYMPTOMS}{theirs.pk}/").status_code == 404
    assert (
        api.put(f"{SYMPTOMS}{theirs.pk}/", {"date": YESTERDAY.isoformat()}, format="json").status_code == 404
    )
    assert api.get(SYMPTOMS).json()["count"] == 0


# --- Prescriptions (read-only) ---------------------------------------------------------------------

PRESCRIPTIONS = "/api/v1/prescriptions/"


def test_prescriptions_list_her_programme(api, patient, other_patient):
    mine = PrescriptionFactory(patient=patient)
    PrescriptionFactory(patient=other_patient)
    body = api.get(PRESCRIPTIONS).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    row = body["results"][0]
    assert row["exercise_name"] == "Eccentric heel drop, knee straight"
    assert row["dosage"] == "3 × 15"
    assert row["times_per_week"] == 4


def test_prescriptions_filter_on_active(api, patient):
    active = PrescriptionFactory(patient=patient)
    ended = PrescriptionFactory(
        patient=patient, active=False, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30
    )
    assert [r["id"] for r in api.get(PRESCRIPTIONS, {"active": "true"}).json()["results"]] == [active.pk]
    assert [r["id"] for r in api.get(PRESCRIPTIONS, {"active": "false"}).json()["results"]] == [ended.pk]
    assert api.get(PRESCRIPTIONS, {"active": "2"}).status_code == 400


def test_prescriptions_are_read_only(api, patient, other_patient):
    mine = PrescriptionFactory(patient=patient)
    theirs = PrescriptionFactory(patient=other_patient)
    assert api.post(PRESCRIPTIONS, {"exercise": 1}, format="json").status_code == 405
    assert api.patch(f"{PRESCRIPTIONS}{mine.pk}/", {"sets": 5}, format="json").status_code == 405
    assert api.delete(f"{PRESCRIPTIONS}{mine.pk}/").status_code == 405
    assert api.get(f"{PRESCRIPTIONS}{theirs.pk}/").status_code == 404
    assert Prescription.objects.get(pk=mine.pk).sets == 3


# --- Exercise library ------------------------------------------------------------------------------

EXERCISES = "/api/v1/exercises/"


def test_the_library_is_readable_by_patients_and_physios(api, physio):
    body = api.get(EXERCISES, {"page_size": 100}).json()
    assert body["count"] == Exercise.objects.count() == 12
    stretch = next(row for row in body["results"] if row["slug"] == "wall-gastrocnemius-stretch")
    assert stretch["measured_in"] == "seconds" and stretch["amount_field"] == "hold_seconds"
    # A physio needs no ?patient= for the library.
    assert token_client(physio).get(f"{EXERCISES}{stretch['id']}/").status_code == 200


def test_the_library_is_read_only(api):
    assert api.post(EXERCISES, {"name": "Hopping"}, format="json").status_code == 405
    assert api.delete(f"{EXERCISES}{exercise('soleus-stretch').pk}/").status_code == 405


@pytest.mark.django_db
def test_the_library_requires_authentication():
    assert APIClient().get(EXERCISES).status_code == 401


# --- Progress --------------------------------------------------------------------------------------

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
