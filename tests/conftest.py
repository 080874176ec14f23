"""Shared fixtures: the three users every view is asked about (owner, stranger, physio)."""

import pytest

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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
