"""/api/v1/heel-rise/: single-leg heel-rise tests."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    HeelRiseTestFactory,
)
from tracker.models import HeelRiseTest

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


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
