"""Shared fixtures: the three users every view is asked about (owner, stranger, physio)."""

import pytest
from hypothesis import is_hypothesis_test

from tests import hypothesis_profiles  # noqa: F401  (loads the profile before any test module's settings)
from tests.factories import PASSWORD, PatientFactory, PhysioFactory


def pytest_collection_modifyitems(config, items):
    for item in items:
        # Property-based tests (hypothesis, and schemathesis which runs on it) are fuzzing: `slow`.
        if is_hypothesis_test(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.slow)
        # Schemathesis names each operation's item `test[GET /api/v1/...]`, but under pytest 9 its node
        # id leaves the operation out: give it back, so that --durations and -k tell them apart.
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            item._id = item.id.with_params(label)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures \
        or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put back the rows the migrations made (groups, content types ...).

    Its teardown empties the database; a later test that expects those rows would fail. Django (and
    pytest-django) run transactional tests last for this reason, but pytest-xdist's work stealing can
    hand a worker ordinary tests after them.
    """
    result = yield
    if _is_transactional(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


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
def empty_memory_cache():
    """Each test starts with an empty cache. The database cache (PostgreSQL runs) rolls back with the
    test's transaction; the in-memory one of the SQLite runs (tests/settings.py) has to be emptied,
    and so do this process's keys on a Redis (REDIS_URL; clear() would empty the whole database)."""
    from django.core.cache import caches

    from tests.helpers import empty_cache

    for cache in caches.all(initialized_only=True):
        if cache.__class__.__name__ in ("LocMemCache", "FailOpenRedisCache"):
            empty_cache(cache)
    yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
