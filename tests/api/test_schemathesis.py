"""Schemathesis against the live schema: every operation, with a patient's token.

The schema is loaded from the running app (/api/schema/, in-process through WSGI) and each
operation gets a bounded, derandomized set of generated requests (valid and invalid). Checks: no
5xx, and the status code, content type, headers and body conform to the schema. Some ids in the
generated paths are swapped for ids of her real records, so retrieve/update/delete are exercised
on real rows and not only as 404s.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ExerciseEntryFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
)
from tests.helpers import empty_cache
from tests.hypothesis_profiles import examples
from tests.media_files import image_bytes, upload
from tracker.models import Exercise
from tracker.services.media import media_save
from tracker.services.tokens import create_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Per operation and generation phase (10 in the full "ci" profile); derandomized, so every run sends
# the same requests.
MAX_EXAMPLES = examples(10)

# Ids of the patient's real records, per path prefix; filled by the fixture below.
REAL_IDS: dict[str, list[int]] = {}
EXERCISE_IDS: list[int] = []


# Loaded from the app itself when the module is collected (no database needed for the schema).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.hook
def map_path_parameters(context, path_parameters):
    # Every other generated id becomes one of her records (the rest stay random: mostly 404s).
    if not path_parameters:
        return path_parameters
    path = context.operation.path
    ids = next((ids for prefix, ids in REAL_IDS.items() if path.startswith(prefix)), None)
    value = path_parameters.get("id")
    if ids and isinstance(value, int) and value % 2 == 0:
        path_parameters["id"] = ids[value % len(ids)]
    return path_parameters


@schema.hook
def map_query(context, query):
    # The token is a patient's, and patients never pass ?patient= (400): tested in tests/api/test_auth.py.
    if query:
        query.pop("patient", None)
    return query


@schema.hook
def map_body(context, body):
    # Session entries name exercises by id: make every other one a real library exercise.
    if context.operation.path.startswith("/api/v1/sessions/") and isinstance(body, dict):
        entries = body.get("entries")
        if isinstance(entries, list):
            for entry in entries:
                value = entry.get("exercise") if isinstance(entry, dict) else None
                if isinstance(value, int) and value % 2 == 0 and EXERCISE_IDS:
                    entry["exercise"] = EXERCISE_IDS[value % len(EXERCISE_IDS)]
    return body


@pytest.fixture
def keep_connection():
    """As Django's test client does: a request must not close the connection holding the test's
    transaction (PostgreSQL would lose it at the end of the first request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(patient, keep_connection):
    """A few records of each kind for the patient; their ids feed map_path_parameters."""
    empty_cache(cache)  # no throttle counts left over from other tests
    REAL_IDS.clear()
    REAL_IDS["/api/v1/measurements/"] = [GirthMeasurementFactory(patient=patient).pk for _ in range(3)]
    REAL_IDS["/api/v1/heel-rise/"] = [HeelRiseTestFactory(patient=patient).pk for _ in range(3)]
    REAL_IDS["/api/v1/sessions/"] = [
        ExerciseEntryFactory(session__patient=patient).session_id for _ in range(3)
    ]
    REAL_IDS["/api/v1/symptoms/"] = [SymptomLogFactory(patient=patient).pk for _ in range(3)]
    prescription = PrescriptionFactory(patient=patient)
    REAL_IDS["/api/v1/prescriptions/"] = [prescription.pk]
    REAL_IDS["/api/v1/media/"] = [
        media_save(upload=upload("p.png", image_bytes("PNG")), exercise=prescription.exercise,
                   prescription=prescription, description="Her set-up", uploaded_by=patient).pk
    ]
    REAL_IDS["/api/v1/questionnaires/"] = [QuestionnaireResponseFactory(patient=patient).pk for _ in range(2)]
    QuestionnaireAssignmentFactory(patient=patient, instrument="VISA-A")  # due today: /due/ lists its items
    EXERCISE_IDS[:] = Exercise.objects.values_list("pk", flat=True)
    yield
    REAL_IDS.clear()
    EXERCISE_IDS.clear()


@pytest.fixture
def token_header(patient) -> dict[str, str]:
    _token, secret = create_token(user=patient, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@override_settings(
    REST_FRAMEWORK={
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, records, token_header):
    case.call_and_validate(headers=token_header, checks=CHECKS)
