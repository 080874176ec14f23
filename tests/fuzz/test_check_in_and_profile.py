"""Hostile input to the daily check-in and the profile.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.common import (
    FUZZ,
    PROFILE_FIELDS,
    SYMPTOM_FIELDS,
    assert_all_valid,
    assert_answered,
    hostile,
    logged_in,
    profile_baseline,
    symptom_baseline,
    today,
)
from tracker.models import (
    SymptomLog,
)


@FUZZ
@given(data=st.data(), days_ago=st.integers(min_value=0, max_value=30))
def test_symptom_check_in_survives_hostile_input(patient, data, days_ago):
    day = today() - datetime.timedelta(days=days_ago)
    payload = data.draw(hostile(symptom_baseline(), SYMPTOM_FIELDS))
    response = logged_in(patient).post(reverse("symptom_day", args=[day.isoformat()]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(SymptomLog.objects.filter(patient=patient))


@FUZZ
@given(data=st.data())
def test_profile_survives_hostile_input(patient, data):
    payload = data.draw(hostile(profile_baseline(), PROFILE_FIELDS))
    response = logged_in(patient).post(reverse("profile"), payload)
    assert_answered(response, payload.get("condition"))
    patient.refresh_from_db()
    patient.full_clean()
    patient.profile.full_clean()
