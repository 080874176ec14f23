"""Shared fixtures: the three users every view is asked about (owner, stranger, physio)."""

import pytest

from tests import hypothesis_profiles  # noqa: F401  (loads the profile before any test module's settings)
from tests.factories import PASSWORD, PatientFactory, PhysioFactory


@pytest.fixture
def patient(db):
    """The logged-in patient (left calf affected)."""
    return PatientFactory(username="anna")


@pytest.fixture
def other_patient(db):
    """Another patient whose data must never be visible to `patient`."""
    return PatientFactory(username="olga")


@pytest.fixture
def physio(db):
    return PhysioFactory(username="physio1")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def password():
    return PASSWORD
