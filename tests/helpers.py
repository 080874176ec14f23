"""Small helpers shared by test modules."""

import re
from decimal import Decimal

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
