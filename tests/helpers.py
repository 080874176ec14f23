"""Small helpers shared by test modules."""

import re
import sys
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)


def empty_cache(cache) -> None:
    """Empty a cache of the test run's own keys. On a Redis (REDIS_URL) the project's cache deletes
    only its own prefix's keys (rehab.cache.FailOpenRedisCache.clear; each pytest worker has its own),
    not the whole database with other workers' keys and queues."""
    cache.clear()


def log_in(client: Client, username: str, password: str) -> bool:
    """Log in through the real login form (as a browser does, so django-axes sees the request).

    Django's `Client.login()` authenticates without a request, which django-axes refuses.
    """
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def text_of(response) -> str:
    """A page's visible text, tags removed and whitespace squeezed (for "is this shown?" checks)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def make_patient(physio, **kwargs):
    """A patient assigned to `physio`."""
    patient = PatientFactory(**kwargs)
    patient.profile.physio = physio
    patient.profile.save()
    return patient


def make_records(patient, *, note_text: str) -> dict:
    """One record of each clinical kind for `patient`, keyed by model name; notes name the patient."""
    session = ExerciseSessionFactory(patient=patient, notes=f"session of {patient.username}")
    return {
        "patientprofile": patient.profile,
        "girthmeasurement": GirthMeasurementFactory(
            patient=patient, left_1=Decimal("41.3"), right_1=Decimal("42.7"),
            notes=f"girth {patient.username}",
        ),
        "heelrisetest": HeelRiseTestFactory(patient=patient, notes=f"heel {patient.username}"),
        "exercisesession": session,
        "exerciseentry": ExerciseEntryFactory(session=session),
        "symptomlog": SymptomLogFactory(patient=patient, notes=f"symptoms {patient.username}"),
        "prescription": PrescriptionFactory(patient=patient, notes=f"programme {patient.username}"),
        "physionote": PhysioNoteFactory(patient=patient, text=note_text, visible_to_patient=False),
    }


def log_sessions(patient, exercise, ago) -> None:
    """A session of `exercise` (one entry) at each time before now in `ago` (timedeltas)."""
    from django.utils import timezone

    for before in ago:
        session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - before)
        ExerciseEntryFactory(session=session, exercise=exercise)


def rows_for_scope(django_db_blocker, build):
    """For a module- or class-scoped fixture: `build()`'s rows, built once and rolled back at the end.

    The rows are created in a transaction left open for the fixture's scope; each test's own
    transaction (pytest-django's `db`) is a savepoint inside it, so whatever a test changes rolls back
    to these rows, as with Django's setUpTestData. Not for transactional_db or live_server tests.
    Use as `yield from rows_for_scope(django_db_blocker, build)`.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
