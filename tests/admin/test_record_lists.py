"""The physio's record lists write values as the review page beside them does: the 24-hour clock,
girth to one decimal, warning signs by name and "—" for nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    PatientFactory,
    PhysioFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)
from tests.helpers import text_of

EVENING = datetime.datetime(2026, 12, 4, 19, 0, tzinfo=datetime.UTC)  # the test site's zone is UTC


@pytest.fixture
def physio_client(client, db):
    physio = PhysioFactory()
    patient = PatientFactory(first_name="Lena", last_name="Berg")
    patient.profile.physio = physio
    patient.profile.save()
    client.force_login(physio)
    client.patient = patient
    return client


def listed(client, model: str) -> str:
    return " ".join(text_of(client.get(reverse(f"admin:tracker_{model}_changelist"))).split())


def test_session_times_use_the_24_hour_clock(physio_client):
    ExerciseSessionFactory(patient=physio_client.patient, performed_at=EVENING)
    text = listed(physio_client, "exercisesession")
    assert "4 Dec 2026, 19:00" in text and "p.m." not in text


def test_girth_means_are_listed_to_one_decimal(physio_client):
    GirthMeasurementFactory(patient=physio_client.patient, left_1=Decimal("35.8"), right_1=Decimal("39.4"))
    text = listed(physio_client, "girthmeasurement")
    assert "35.8 39.4" in text and "35.80" not in text


def test_warning_signs_are_named_not_coded(physio_client):
    SymptomLogFactory(patient=physio_client.patient, flag_dvt_signs=True, flag_numbness=True)
    text = listed(physio_client, "symptomlog")
    assert ("Calf red, warm, swollen and painful; Numbness or pins and needles in the leg or foot" in text)
    assert "dvt_signs" not in text


def test_a_missing_value_is_a_dash_as_on_the_review_page(physio_client):
    PrescriptionFactory(patient=physio_client.patient, end_date=None)
    row = listed(physio_client, "prescription").split("Berg", 1)[1]
    assert "—" in row and " - " not in row


def test_the_patient_filter_names_her_as_the_rows_do(physio_client):
    second = PatientFactory(username="aaron", first_name="Zoe", last_name="Adams")
    second.profile.physio = physio_client.patient.profile.physio
    second.profile.save()
    for patient in (physio_client.patient, second):
        SymptomLogFactory(patient=patient)
    response = physio_client.get(reverse("admin:tracker_symptomlog_changelist"))
    specs = response.context["cl"].filter_specs
    patient_filter = next(spec for spec in specs if spec.field_path == "patient")
    assert [label for _pk, label in patient_filter.lookup_choices] == ["Lena Berg", "Zoe Adams"]


def test_warning_signs_come_before_the_numbers_so_a_laptop_shows_them(physio_client):
    response = physio_client.get(reverse("admin:tracker_symptomlog_changelist"))
    assert list(response.context["cl"].list_display)[:3] == ["patient_name", "date", "red_flags"]

