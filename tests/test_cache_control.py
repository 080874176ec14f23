"""Health data is never kept by a browser or proxy cache (issue 19, defect 9).

Every page and API answer to a signed-in user is `Cache-Control: private, no-store`; the chart
images keep `private, no-cache` with their ETag (revalidated, never shown stale).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ExerciseEntryFactory, ExerciseSessionFactory, GirthMeasurementFactory
from tracker.services.tokens import create_token


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def session(patient):
    session = ExerciseSessionFactory(patient=patient)
    ExerciseEntryFactory(session=session)
    return session


@pytest.mark.parametrize(
    "path",
    ["/", "/?range=all", "/measurements/", "/profile/", "/sessions/", "/heel-rise/", "/symptoms/",
     "/account/export/", "/profile/tokens/new/", "/accounts/password_change/"],
)
def test_her_pages_are_never_stored(patient_client, patient, path):
    GirthMeasurementFactory(patient=patient)
    response = patient_client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_session_page_is_never_stored(patient_client, session):
    response = patient_client.get(reverse("session_detail", args=[session.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_redirects_after_saving_are_never_stored_either(patient_client, session):
    response = patient_client.post(reverse("session_delete", args=[session.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("path", ["/api/v1/measurements/", "/api/v1/progress/", "/api/v1/sessions/"])
def test_api_answers_are_never_stored_with_a_token(patient, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(user=patient, name='t')[1]}")
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_api_answers_are_never_stored_with_a_session(patient_client):
    response = patient_client.get("/api/v1/measurements/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_api_errors_are_never_stored(db):
    response = APIClient().get("/api/v1/measurements/")
    assert response.status_code == 401
    assert {"private", "no-store"} <= cache_control(response)


def test_charts_keep_revalidation_with_their_etag(patient_client):
    response = patient_client.get(reverse("chart", kwargs={"name": "girth", "fmt": "svg"}))
    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-cache"}
    again = patient_client.get(
        reverse("chart", kwargs={"name": "girth", "fmt": "svg"}), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    assert cache_control(again) == {"private", "no-cache"}


def test_the_admin_is_never_stored(admin_client):
    assert {"private", "no-store"} <= cache_control(admin_client.get(reverse("admin:index")))
