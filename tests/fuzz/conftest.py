"""Fixtures of the hostile-input tests."""

from __future__ import annotations

import pytest

from tests.factories import (
    PatientFactory,
    PhysioFactory,
)


@pytest.fixture
def physio_and_patient(db):
    physio = PhysioFactory(username="fuzz_physio")
    patient = PatientFactory(username="fuzz_patient")
    patient.profile.physio = physio
    patient.profile.save()
    return physio, patient
