"""A database or Redis that is briefly away (issue 20, "faults survived"): clean 503s, no 500 page;
pages served without the cache; rate limits fail open and say so in the log.

bench/faults.py shows the same against real processes (PostgreSQL restarted, Redis stopped).
"""

import logging
import socket

import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from rehab import cache as fail_open
from tests.api.helpers import token_client


def unused_redis_url() -> str:
    with socket.socket() as probe:  # a port nobody listens on: "connection refused", like a stopped Redis
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_down(monkeypatch):
    monkeypatch.setattr(fail_open.FailOpenRedisCache, "_last_warning", 0.0)
    caches = {"default": {
        "BACKEND": "rehab.cache.FailOpenRedisCache",
        "LOCATION": unused_redis_url(),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    with override_settings(CACHES=caches):
        yield


@pytest.mark.parametrize("error", [OperationalError("refused"), InterfaceError("connection closed")])
def test_a_database_outage_in_a_middleware_is_a_503_page_with_retry_after(patient, monkeypatch, error):
    client = Client(raise_request_exception=False)
    client.force_login(patient)

    def unreachable(self):
        raise error

    # The session is read from the database by the middleware, before any view runs.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unreachable)
    response = client.get(reverse("dashboard"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Briefly unavailable" in page and "Traceback" not in page


def test_a_database_outage_in_an_api_view_is_a_json_503(patient, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("tracker.api.views.progress_numbers", unreachable)
    client = token_client(patient)
    client.raise_request_exception = False
    response = client.get("/api/v1/progress/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"].startswith("The service is briefly unavailable.")


def test_any_other_error_is_still_a_500(patient, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("tracker.api.views.progress_numbers", broken)
    client = token_client(patient)
    client.raise_request_exception = False
    assert client.get("/api/v1/progress/").status_code == 500


def test_with_redis_down_the_cache_misses_and_warns_once(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="rehab.cache"):
        assert cache.get("a-key", "the default") == "the default"
        assert cache.add("a-key", 1) is False
        cache.set("a-key", 1)
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("a-key")
    warnings = [r for r in caplog.records if r.name == "rehab.cache"]
    assert len(warnings) == 1
    assert "rate limits are not enforced" in warnings[0].getMessage()


def test_with_redis_down_pages_are_served_and_limits_fail_open(
    redis_down, patient_client, settings, caplog, monkeypatch
):
    # Logging in may have used the cache already (and logged the outage): the warning may come again.
    monkeypatch.setattr(fail_open.FailOpenRedisCache, "_last_warning", 0.0)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "charts": "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    chart = reverse("chart", kwargs={"name": "volume", "fmt": "svg"})

    with caplog.at_level(logging.WARNING, logger="rehab.cache"):
        assert patient_client.get(reverse("dashboard")).status_code == 200
        # One a minute allowed, three served: nothing can be counted while the cache is away.
        assert [patient_client.get(chart).status_code for _ in range(3)] == [200, 200, 200]
    assert any("rate limits are not enforced" in r.getMessage() for r in caplog.records)
