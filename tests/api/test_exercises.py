"""/api/v1/exercises/: the exercise library, read-only."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import token_client
from tests.factories import (
    exercise,
)
from tracker.models import Exercise

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


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
