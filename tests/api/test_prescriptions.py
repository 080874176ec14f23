"""/api/v1/prescriptions/: her programme, read-only."""

import datetime

from django.utils import timezone

from tests.factories import (
    PrescriptionFactory,
    exercise,
)
from tracker.models import Prescription

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


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
