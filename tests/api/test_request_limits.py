"""Requests built to cost a worker a lot: refused early, in JSON (issue 19, defects 2, 3 and 8)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracker.models import Exercise, ExerciseSession
from tracker.services.sessions import MAX_ENTRIES
from tracker.services.tokens import create_token

SESSIONS = "/api/v1/sessions/"


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """The queries counted here are the request's own, not the rate limit's (tests/test_rate_limits.py)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}


@pytest.fixture
def secret(patient) -> str:
    return create_token(user=patient, name="test")[1]


@pytest.fixture
def api_client() -> Client:
    # A plain Django client: it posts the exact bytes given, and answers like a server would.
    return Client(raise_request_exception=False)


def post_json(client: Client, secret: str, url: str, body: str):
    return client.generic("POST", url, body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {secret}")


def session_with(entries: list[dict]) -> str:
    performed_at = (timezone.now() - timezone.timedelta(hours=2)).isoformat()
    return json.dumps({"performed_at": performed_at, "entries": entries})


def entries(count: int) -> list[dict]:
    exercises = list(Exercise.objects.filter(measured_in="reps").order_by("pk"))
    return [
        {"exercise": exercises[n % len(exercises)].pk, "side": "left", "sets": 3, "reps": 10}
        for n in range(count)
    ]


# --- defect 2: a thousand entries -----------------------------------------------------------------


def test_a_thousand_entries_are_refused_before_any_is_validated(api_client, secret):
    """Each entry used to be looked up and full_clean()ed (~10 queries) before the 30-entry limit."""
    body = session_with(entries(1000))
    with CaptureQueriesContext(connection) as queries:
        response = post_json(api_client, secret, SESSIONS, body)

    assert response.status_code == 400
    assert response.json() == {"entries": [f"Log at most {MAX_ENTRIES} exercises in one session."]}
    assert len(queries.captured_queries) <= 10, len(queries.captured_queries)
    assert not ExerciseSession.objects.exists()


def queries_before_saving(client: Client, patient, count: int) -> list[str]:
    secret = create_token(user=patient, name=f"{count} entries")[1]  # a new token: same queries each time
    body = session_with(entries(count))
    with CaptureQueriesContext(connection) as queries:
        response = post_json(client, secret, SESSIONS, body)
    assert response.status_code == 201, response.content
    assert len(response.json()["entries"]) == count
    sql = [query["sql"] for query in queries.captured_queries]
    return sql[: next(n for n, text in enumerate(sql) if text.startswith("INSERT"))]


def test_the_exercises_of_a_session_are_looked_up_in_one_query(api_client, patient):
    one = queries_before_saving(api_client, patient, 1)
    thirty = queries_before_saving(api_client, patient, MAX_ENTRIES)

    exercise_lookups = [sql for sql in thirty if 'FROM "tracker_exercise"' in sql]
    assert len(exercise_lookups) == 1, exercise_lookups
    # Validating 30 entries costs no query more than validating one.
    assert len(thirty) == len(one), thirty


# --- defect 3: deeply nested JSON -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/measurements/", SESSIONS, "/api/v1/symptoms/"])
def test_json_nested_thousands_deep_is_a_parse_error(api_client, secret, url):
    response = post_json(api_client, secret, url, "[" * 3000 + "]" * 3000)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("JSON parse error")


def test_nested_objects_too(api_client, secret):
    response = post_json(api_client, secret, "/api/v1/measurements/", '{"a":' * 5000 + "1" + "}" * 5000)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


# --- defect 8: errors in JSON, 413 for a body over the limit --------------------------------------


def test_a_body_over_the_limit_is_413_in_json(api_client, secret, settings):
    body = json.dumps({"notes": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = post_json(api_client, secret, "/api/v1/measurements/", body)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    assert response.json() == {"detail": f"The request body is too large (at most {limit_mb} MB)."}


def test_a_web_form_over_the_limit_is_413_too(client, settings):
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "too large" in response.content.decode()


def test_other_bad_requests_to_the_api_answer_json(api_client, secret):
    """A request Django refuses before any view (here: a forged Host) still gets JSON under /api/."""
    response = api_client.get("/api/v1/measurements/", HTTP_HOST="evil.example.com",
                              HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Bad request."}


def test_a_server_error_in_the_api_answers_json(api_client, secret, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("tracker.api.views.progress_numbers", broken)
    response = api_client.get("/api/v1/progress/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error. Please try again later."}
