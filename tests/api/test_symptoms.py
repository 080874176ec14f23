"""/api/v1/symptoms/: daily check-ins."""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import error_messages
from tests.factories import (
    SymptomLogFactory,
)
from tracker.models import SymptomLog

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


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


def test_unanswered_night_cramps_are_null_not_zero(api, patient):
    response = api.post(SYMPTOMS, {"date": YESTERDAY.isoformat(), "pain_at_rest": 2}, format="json")
    assert response.status_code == 201
    assert response.json()["night_cramps"] is None
    assert SymptomLog.objects.get(patient=patient).night_cramps is None
    response = api.post(SYMPTOMS, {"date": TODAY.isoformat(), "night_cramps": None}, format="json")
    assert response.status_code == 201 and response.json()["night_cramps"] is None
