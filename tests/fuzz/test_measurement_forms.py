"""Hostile input to the girth and heel-rise forms, new and edit.

Hostile input, property-based: every form a patient or physio posts, fed random and adversarial values.

For each form a valid baseline is posted with a few of its fields replaced by hostile values (NaN,
infinity, 1e309, huge and negative numbers, unicode with RTL marks and emoji, control characters and
NUL, 100 kB strings, HTML, impossible dates). Whatever arrives:

- the answer is never a 500: a redirect (saved) or the form again with its errors and what was typed;
- every row stored passes full_clean() (ranges, choices, dates and the model's constraints);
- HTML typed into a note is shown escaped, in the patient's pages, the admin, the CSV and the PDF.

Each example starts from a clean slate for the form under test (rows deleted or unique dates).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import (
    GirthMeasurementFactory,
    HeelRiseTestFactory,
)
from tests.fuzz.common import (
    FUZZ,
    GIRTH_FIELDS,
    HEEL_FIELDS,
    assert_all_valid,
    assert_answered,
    girth_baseline,
    heel_baseline,
    hostile,
    logged_in,
    today,
)
from tracker.models import (
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
)


@pytest.mark.parametrize("unit", ["cm", "in"])
@FUZZ
@given(data=st.data())
def test_measurement_new_survives_hostile_input(patient, unit, data):
    PatientProfile.objects.filter(user=patient).update(unit=unit)
    GirthMeasurement.objects.filter(patient=patient).delete()
    payload = data.draw(hostile(girth_baseline(unit), GIRTH_FIELDS))
    response = logged_in(patient).post(reverse("measurement_new"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.filter(patient=patient))
    assert GirthMeasurement.objects.filter(patient=patient).count() == (response.status_code == 302)


@FUZZ
@given(data=st.data())
def test_measurement_edit_survives_hostile_input(patient, data):
    GirthMeasurement.objects.filter(patient=patient).delete()
    measurement = GirthMeasurementFactory(patient=patient, date=today())
    payload = data.draw(hostile(girth_baseline(), GIRTH_FIELDS))
    response = logged_in(patient).post(reverse("measurement_edit", args=[measurement.pk]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.filter(patient=patient))


@FUZZ
@given(data=st.data())
def test_heel_rise_new_survives_hostile_input(patient, data):
    HeelRiseTest.objects.filter(patient=patient).delete()
    payload = data.draw(hostile(heel_baseline(), HEEL_FIELDS))
    response = logged_in(patient).post(reverse("heel_rise_new"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(HeelRiseTest.objects.filter(patient=patient))


@FUZZ
@given(data=st.data())
def test_heel_rise_edit_survives_hostile_input(patient, data):
    HeelRiseTest.objects.filter(patient=patient).delete()
    test = HeelRiseTestFactory(patient=patient)
    payload = data.draw(hostile(heel_baseline(), HEEL_FIELDS))
    response = logged_in(patient).post(reverse("heel_rise_edit", args=[test.pk]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(HeelRiseTest.objects.filter(patient=patient))
