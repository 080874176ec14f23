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
    adherence = body["adherence"]
    assert (adherence["done"], adherence["expected"], adherence["percent"]) == (0, 0, None)
    assert body["this_week"]["so_far"] is True and body["this_week"]["expected"] == 0
    assert body["red_flags"] == [] and body["exercise_paused"] is False
    assert body["pain"] == {"date": None, "latest_after": None, "latest_morning": None, "breaches": [],
                            "recent_sessions": 0}


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
        patient, site="tt10", affected_side="left", today=TODAY
    )
    assert girth["site"] == "tt10"
    assert girth["symmetry"]["lsi"] == expected.symmetry.lsi == 92.0
    assert girth["involved_change_cm"] == 1.6 and girth["involved_change_real"] is True
    # LSI 92% but the left calf is 3.0 cm smaller: a marked deficit, the goal not reached.
    assert girth["asymmetry"] == expected.asymmetry == "marked"
    assert girth["goal_reached"] is False and girth["deficit_cm"] == 3.0
    assert "target_lsi" not in girth and "to_target" not in girth and "zone" not in girth

    heel = body["heel_rise"]
    assert heel["symmetry"]["lsi"] == 74.1
    assert heel["target_lsi"] == 90.0 and heel["target_reached"] is False and heel["zone"] == "red"
    assert heel["involved_change"] == 10 and heel["involved_change_real"] is True
    assert heel["previous"] is None  # two tests: the previous one is the first

    adherence = programme.adherence(patient, start=TODAY - datetime.timedelta(days=13), end=TODAY)
    assert body["adherence"]["percent"] == adherence.percent
    assert body["adherence"]["done"] == 1 and body["adherence"]["expected"] == adherence.expected == 8
    assert body["this_week"]["expected"] == 4
    assert body["pain"]["recent_sessions"] == 1 and body["pain"]["breaches"] == []


@pytest.mark.parametrize(
    ("left", "right", "goal_reached", "asymmetry"),
    [("36.6", "37.5", True, "normal"), ("36.5", "37.5", False, "deficit"), ("39.5", "37.5", True, "normal")],
)
def test_progress_girth_goal_is_judged_in_cm(api, patient, left, right, goal_reached, asymmetry):
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, left_1=Decimal(left), right_1=Decimal(right))
    girth = api.get(PROGRESS).json()["girth"]
    assert (girth["goal_reached"], girth["asymmetry"]) == (goal_reached, asymmetry)


def test_progress_heel_rise_target_follows_the_profile(api, patient):
    patient.profile.target_lsi = Decimal("70.0")
    patient.profile.save()
    HeelRiseTestFactory(patient=patient, date=YESTERDAY, reps_left=20, reps_right=27)
    heel = api.get(PROGRESS).json()["heel_rise"]
    assert heel["target_lsi"] == 70.0 and heel["target_reached"] is True and heel["zone"] == "red"


def test_progress_compares_the_latest_heel_rise_test_with_the_previous_one(api, patient):
    for days, left in ((44, 14), (23, 22), (2, 16)):
        day = TODAY - datetime.timedelta(days=days)
        HeelRiseTestFactory(patient=patient, date=day, reps_left=left, reps_right=26)
    heel = api.get(PROGRESS).json()["heel_rise"]
    assert heel["involved_change"] == 2 and heel["involved_change_real"] is False
    assert heel["previous"] == {
        "date": (TODAY - datetime.timedelta(days=23)).isoformat(), "lsi": 84.6, "same_surface": True,
        "involved_change": -6, "involved_change_real": True,
    }


def test_progress_red_flags(api, patient):
    SymptomLogFactory(patient=patient, date=TODAY, flag_tear_pop=True)
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, left_1=Decimal("41.0"), right_1=Decimal("37.0"))
    body = api.get(PROGRESS).json()
    assert [flag["code"] for flag in body["red_flags"]] == ["swelling_asymmetry", "tear_pop"]
    assert body["exercise_paused"] is True  # as the dashboard: "Your programme is paused ..."


def test_while_paused_the_pain_advice_is_for_when_she_starts_again(api, patient):
    session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now(), pain_after=7)
    ExerciseEntryFactory(session=session, pain_during=6)
    [during, after] = api.get(PROGRESS).json()["pain"]["breaches"]
    assert "Reduce the load next session" in during["message"]
    SymptomLogFactory(patient=patient, date=TODAY, flag_numbness=True)
    messages = [flag["message"] for flag in api.get(PROGRESS).json()["pain"]["breaches"]]
    assert len(messages) == 2 and all("When you start again, reduce the load" in m for m in messages)
    assert not any("next session" in m for m in messages)


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
