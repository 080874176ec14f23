"""Fixtures of the API tests: a patient's token client, and her physio's."""

import pytest
from django.core.cache import cache

from tests.api.helpers import token_client
from tests.helpers import empty_cache


@pytest.fixture(autouse=True)
def no_throttle_history(db):
    empty_cache(cache)  # the throttle counts are in the database cache


@pytest.fixture
def api(patient):
    return token_client(patient)


@pytest.fixture
def physio_api(physio, patient):
    patient.profile.physio = physio
    patient.profile.save()
    return token_client(physio)
