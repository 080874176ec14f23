"""Fixtures of the hostile-input tests."""

from __future__ import annotations

import pytest

from tests.factories import (
    PatientFactory,
    PhysioFactory,
)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Hostile input, not request rates: hypothesis sends far more requests a minute than a person
    may (and the full profile in CI more still). The limits are tested in tests/test_rate_limits.py."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}


@pytest.fixture
def physio_and_patient(db):
    physio = PhysioFactory(username="fuzz_physio")
    patient = PatientFactory(username="fuzz_patient")
    patient.profile.physio = physio
    patient.profile.save()
    return physio, patient
