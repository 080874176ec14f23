"""API authentication, scoping, CSRF and throttling (the rules every endpoint shares)."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import error_messages, token_client
from tests.factories import GirthMeasurementFactory, UserFactory
from tracker.models import ApiToken, GirthMeasurement
from tracker.services.tokens import create_token

URL = "/api/v1/measurements/"
NEW_MEASUREMENT = {"date": "2025-03-14", "site": "tt10", "left_1": 34.2, "right_1": 37.6}
ENDPOINTS = [
    "/api/v1/measurements/",
    "/api/v1/heel-rise/",
    "/api/v1/sessions/",
    "/api/v1/symptoms/",
    "/api/v1/prescriptions/",
    "/api/v1/exercises/",
    "/api/v1/progress/",
]



def low_rate(rate: str):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": rate}}
    )


# --- 401 without (valid) credentials --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_requires_authentication(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.django_db
def test_writes_require_authentication_and_save_nothing():
    response = APIClient().post(URL, NEW_MEASUREMENT, format="json")
    assert response.status_code == 401
    assert not GirthMeasurement.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer crt_not-a-real-token",
        "Bearer",
        "Bearer two parts",
        "bearer crt_not-a-real-token",
    ],
)
def test_a_bad_token_is_401(patient, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(patient):
    token, secret = create_token(user=patient, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(URL).status_code == 200
    token.delete()
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}


def test_an_inactive_users_token_is_refused(patient):
    client = token_client(patient)
    patient.is_active = False
    patient.save()
    assert client.get(URL).status_code == 401


def test_the_token_is_looked_up_by_its_digest(patient):
    token, secret = create_token(user=patient, name="phone")
    assert secret not in token.digest and token.digest != secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.digest}")  # the stored value is no token
    assert client.get(URL).status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(patient):
    token, secret = create_token(user=patient, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get(URL)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get(URL)
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: not written again

    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(URL)
    token.refresh_from_db()
    assert token.last_used_at > earlier


# --- Session authentication and CSRF ---------------------------------------------------------------


def test_session_authentication_reads(patient):
    client = APIClient()
    client.force_login(patient)
    GirthMeasurementFactory(patient=patient)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(patient):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(patient)
    response = client.post(URL, NEW_MEASUREMENT, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not GirthMeasurement.objects.exists()


def test_session_writes_with_the_csrf_token_work(patient):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(patient)
    client.get("/profile/")  # sets the CSRF cookie, as a page of the site does
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(URL, NEW_MEASUREMENT, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1


def test_token_writes_need_no_csrf_token(patient):
    client = token_client(patient)
    client.handler.enforce_csrf_checks = True
    response = client.post(URL, NEW_MEASUREMENT, format="json")
    assert response.status_code == 201


# --- Throttling per token -------------------------------------------------------------------------


def test_requests_beyond_the_rate_are_429(patient):
    with low_rate("3/min"):
        client = token_client(patient, name="one")
        assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
        response = client.get(URL)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        # The limit is per token: her other token still works.
        assert token_client(patient, name="two").get(URL).status_code == 200


def test_the_rate_comes_from_settings(patient):
    client = token_client(patient)
    # The default (API_RATE_PER_MINUTE, 120) is far above a handful of requests.
    assert all(client.get(URL).status_code == 200 for _ in range(5))
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"].endswith("/min")


# --- Who sees whose data --------------------------------------------------------------------------


def test_a_patient_sees_only_her_own_records(patient, other_patient):
    mine = GirthMeasurementFactory(patient=patient)
    GirthMeasurementFactory(patient=other_patient)
    response = token_client(patient).get(URL)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_a_patient_passing_patient_gets_400(patient, other_patient):
    GirthMeasurementFactory(patient=other_patient)
    response = token_client(patient).get(URL, {"patient": other_patient.pk})
    assert response.status_code == 400
    assert error_messages(response, "patient") == ["Leave out ?patient=: you always see your own records."]


@pytest.fixture
def physio_with_patient(physio, patient):
    patient.profile.physio = physio
    patient.profile.save()
    return physio


def test_a_physio_reads_an_assigned_patients_records(physio_with_patient, patient, other_patient):
    mine = GirthMeasurementFactory(patient=patient)
    GirthMeasurementFactory(patient=other_patient)
    response = token_client(physio_with_patient).get(URL, {"patient": patient.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    detail = token_client(physio_with_patient).get(f"{URL}{mine.pk}/", {"patient": patient.pk})
    assert detail.status_code == 200


def test_a_physio_without_patient_gets_400(physio_with_patient):
    response = token_client(physio_with_patient).get(URL)
    assert response.status_code == 400
    assert "patient" in response.json()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", str(2**64)])
def test_a_physio_with_a_malformed_patient_id_gets_400(physio_with_patient, value):
    response = token_client(physio_with_patient).get(URL, {"patient": value})
    assert response.status_code == 400


def test_a_physio_cannot_see_another_physios_patient(physio_with_patient, other_patient):
    GirthMeasurementFactory(patient=other_patient)
    response = token_client(physio_with_patient).get(URL, {"patient": other_patient.pk})
    assert response.status_code == 404


def test_a_physio_cannot_reach_a_record_through_the_wrong_patient(
    physio_with_patient, patient, other_patient
):
    theirs = GirthMeasurementFactory(patient=other_patient)
    response = token_client(physio_with_patient).get(f"{URL}{theirs.pk}/", {"patient": patient.pk})
    assert response.status_code == 404


def test_physios_have_read_only_access(physio_with_patient, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    client = token_client(physio_with_patient)
    assert client.post(f"{URL}?patient={patient.pk}", NEW_MEASUREMENT, format="json").status_code == 403
    assert client.delete(f"{URL}{measurement.pk}/?patient={patient.pk}").status_code == 403
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1


def test_staff_who_are_neither_patient_nor_physio_get_403(db):
    staff = UserFactory(is_staff=True)
    response = token_client(staff).get(URL)
    assert response.status_code == 403


def test_a_superuser_reads_any_patient_as_in_the_admin(patient):
    GirthMeasurementFactory(patient=patient)
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = token_client(admin).get(URL, {"patient": patient.pk})
    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- Unknown API URLs -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_urls_are_json_404s(method):
    response = getattr(APIClient(), method)("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_a_missing_trailing_slash_is_explained():
    response = APIClient().get("/api/v1/measurements")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found. API URLs end with a slash: /api/v1/measurements/"}


def test_token_writes_are_attributed_to_her_in_the_audit_history(patient):
    response = token_client(patient).post(URL, NEW_MEASUREMENT, format="json")
    measurement = GirthMeasurement.objects.get(pk=response.json()["id"])
    assert measurement.history.get().history_user == patient
