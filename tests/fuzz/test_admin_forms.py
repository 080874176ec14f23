"""Hostile input to the admin forms a physio posts.
"""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import (
    exercise,
)
from tests.fuzz.common import (
    FUZZ,
    GIRTH_FIELDS,
    NOTE_FIELDS,
    PATIENT_CREATION_FIELDS,
    PRESCRIPTION_FIELDS,
    assert_all_valid,
    assert_answered,
    choices,
    dates,
    girth_baseline,
    hostile,
    logged_in,
    numbers,
)
from tracker.models import (
    GirthMeasurement,
    PhysioNote,
    Prescription,
    User,
)


@FUZZ
@given(template=st.one_of(st.sampled_from(["alfredson", "hsr", "stretching"]), choices), start=dates)
def test_admin_programme_survives_hostile_input(physio_and_patient, template, start):
    physio, patient = physio_and_patient
    Prescription.objects.filter(patient=patient).delete()
    url = reverse("admin:tracker_patientprofile_programme", args=[patient.profile.pk])
    response = logged_in(physio).post(url, {"template": template, "start_date": start})
    assert response.status_code == 302  # success or not, back to the review page with a message
    assert_all_valid(Prescription.objects.filter(patient=patient))


@FUZZ
@given(data=st.data())
def test_admin_note_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    PhysioNote.objects.all().delete()
    baseline = {"patient": str(patient.pk), "text": "Keep going.", "visible_to_patient": "on"}
    payload = data.draw(hostile(baseline, NOTE_FIELDS))
    response = logged_in(physio).post(reverse("admin:tracker_physionote_add"), payload)
    assert_answered(response, payload.get("text"))
    assert_all_valid(PhysioNote.objects.all())
    assert set(PhysioNote.objects.values_list("patient", flat=True)) <= {patient.pk}


@FUZZ
@given(data=st.data())
def test_admin_prescription_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    Prescription.objects.all().delete()
    baseline = {"patient": str(patient.pk), "exercise": str(exercise("single-leg-calf-raise").pk),
                "side": "both", "sets": "3", "reps": "12", "load_kg": "0", "times_per_week": "3",
                "start_date": "2024-01-01", "active": "on", "notes": "ok"}
    payload = data.draw(hostile(baseline, PRESCRIPTION_FIELDS))
    response = logged_in(physio).post(reverse("admin:tracker_prescription_add"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(Prescription.objects.all())
    assert set(Prescription.objects.values_list("patient", flat=True)) <= {patient.pk}


@FUZZ
@given(data=st.data())
def test_admin_clinic_measurement_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    GirthMeasurement.objects.all().delete()
    baseline = {**girth_baseline(), "patient": str(patient.pk), "measured_by": "physio"}
    payload = data.draw(hostile(baseline, {**GIRTH_FIELDS, "patient": numbers}))
    response = logged_in(physio).post(reverse("admin:tracker_girthmeasurement_add"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.all())


@FUZZ
@given(data=st.data(), number=st.integers(min_value=0, max_value=10**6))
def test_admin_patient_creation_survives_hostile_input(physio_and_patient, data, number):
    physio, _patient = physio_and_patient
    baseline = {"username": f"new{number}", "first_name": "Nia", "last_name": "N", "email": "nia@example.com",
                "password1": "", "password2": "", "affected_side": "right", "condition": "Tennis leg",
                "onset_date": "2024-05-01", "unit": "cm", "target_lsi": "90", "sex": "", "birth_year": ""}
    payload = data.draw(hostile(baseline, PATIENT_CREATION_FIELDS))
    before = set(User.objects.values_list("pk", flat=True))
    response = logged_in(physio).post(reverse("admin:tracker_patientprofile_add"), payload)
    assert_answered(response, payload.get("condition"))
    created = User.objects.exclude(pk__in=before)
    assert created.count() == (response.status_code == 302)
    for user in created:
        user.full_clean()
        user.profile.full_clean()
        assert user.profile.physio == physio
    created.delete()
