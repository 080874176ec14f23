"""/healthz: a cheap, login-free probe that the app and its database answer."""

import pytest
from django.db import DatabaseError, OperationalError

from tracker.views import health as health_views

pytestmark = pytest.mark.django_db


class BrokenConnection:
    def __init__(self, error: Exception):
        self.error = error

    def cursor(self):
        raise self.error


def test_it_works_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("error", [DatabaseError("gone"), OperationalError("could not connect")])
def test_it_reports_an_unreachable_database(client, monkeypatch, error):
    monkeypatch.setattr(health_views, "connection", BrokenConnection(error))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "gone" not in response.content.decode()


def test_a_failing_query_is_also_unreachable(client, monkeypatch):
    class FailingCursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            raise DatabaseError("statement timeout")

    class Connection:
        def cursor(self):
            return FailingCursor()

    monkeypatch.setattr(health_views, "connection", Connection())

    assert client.get("/healthz").status_code == 503


def test_it_answers_a_logged_in_user_the_same(patient_client):
    assert patient_client.get("/healthz").json()["status"] == "ok"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_is_get_only(client, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_it_does_not_redirect_to_https_behind_a_proxy(client, settings):
    """Probes talk plain HTTP inside the network; the test settings turn the redirect off."""
    assert settings.SECURE_SSL_REDIRECT is False
    assert client.get("/healthz").status_code == 200
