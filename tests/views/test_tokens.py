"""Personal API tokens on the profile page: create (shown once, stored hashed) and revoke."""

import hashlib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PatientFactory
from tests.helpers import empty_cache
from tracker.models import ApiToken
from tracker.services.tokens import MAX_TOKENS_PER_USER, create_token

PROFILE_URL = reverse("profile")
CREATE_URL = reverse("token_create")
SECRET = re.compile(r"crt_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def no_throttle_history(db):
    empty_cache(cache)


def revoke_url(token: ApiToken) -> str:
    return reverse("token_revoke", args=[token.pk])


def api_status(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/measurements/").status_code


# --- Login and methods ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_create_requires_login(client, method):
    response = getattr(client, method)(CREATE_URL, {"name": "Phone"} if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={CREATE_URL}"
    assert not ApiToken.objects.exists()


def test_revoke_requires_login(client, patient):
    token, _secret = create_token(user=patient, name="Phone")
    response = client.post(revoke_url(token), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_rejects_get(patient_client, patient):
    token, _secret = create_token(user=patient, name="Phone")
    assert patient_client.get(revoke_url(token)).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_physios_are_sent_to_the_admin(client, physio):
    client.force_login(physio)
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# --- The profile page section -------------------------------------------------------------------------


def test_profile_page_shows_the_empty_state_and_the_form(patient_client):
    response = patient_client.get(PROFILE_URL)
    html = response.content.decode()
    assert "You have no API tokens. Create one below if you want to connect an app." in html
    assert f'action="{CREATE_URL}"' in html
    assert '<label for="id_token_name" class="form-label">Token name</label>' in html


def test_profile_page_lists_her_tokens_only(patient_client, patient):
    token, secret = create_token(user=patient, name="Phone shortcut")
    create_token(user=PatientFactory(), name="Someone else's tape")
    html = patient_client.get(PROFILE_URL).content.decode()
    assert "Phone shortcut" in html
    assert f"<code>{token.prefix}…</code>" in html
    assert "last used never" in html
    assert "Someone else" not in html
    assert secret not in html  # only the prefix is ever shown again
    assert f'action="{revoke_url(token)}"' in html


# --- Create -------------------------------------------------------------------------------------------


def test_create_shows_the_secret_once_and_stores_only_its_digest(patient_client, patient):
    response = patient_client.post(CREATE_URL, {"name": "Phone shortcut"})
    assert response.status_code == 200
    html = response.content.decode()
    secret = SECRET.search(html).group(0)
    assert "It is shown only this once" in html
    assert "no-store" in response["Cache-Control"]
    assert "Token “Phone shortcut” created. Copy it now: it is shown only once." in html

    token = ApiToken.objects.get(user=patient)
    assert token.name == "Phone shortcut"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
    assert not any(secret in value for value in stored)

    # Nothing shows it again.
    assert secret not in patient_client.get(PROFILE_URL).content.decode()
    assert secret not in patient_client.get(CREATE_URL).content.decode()
    # And it works.
    assert api_status(secret) == 200


def test_each_token_is_different(patient_client, patient):
    secrets = {
        SECRET.search(patient_client.post(CREATE_URL, {"name": name}).content.decode()).group(0)
        for name in ("one", "two")
    }
    assert len(secrets) == 2
    assert ApiToken.objects.filter(user=patient).count() == 2


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 61, "at most 60 characters"),
    ],
)
def test_an_invalid_name_shows_the_form_again(patient_client, name, message):
    response = patient_client.post(CREATE_URL, {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<h1" in html and "Create an API token" in html
    assert not ApiToken.objects.exists()


def test_an_invalid_name_keeps_what_was_typed(patient_client):
    response = patient_client.post(CREATE_URL, {"name": "y" * 61})
    assert 'value="' + "y" * 61 + '"' in response.content.decode()


def test_the_number_of_tokens_is_limited(patient_client, patient):
    for n in range(MAX_TOKENS_PER_USER):
        create_token(user=patient, name=f"token {n}")
    response = patient_client.post(CREATE_URL, {"name": "one more"})
    assert response.status_code == 200
    assert "Revoke one you no longer use first." in response.content.decode()
    assert ApiToken.objects.filter(user=patient).count() == MAX_TOKENS_PER_USER


def test_the_create_page_works_on_its_own(patient_client):
    response = patient_client.get(CREATE_URL)
    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()


# --- Revoke -------------------------------------------------------------------------------------------


def test_revoke_asks_first_then_revokes(patient_client, patient):
    token, secret = create_token(user=patient, name="Phone")
    first = patient_client.post(revoke_url(token))
    assert first.status_code == 200
    assert "Revoke the token “Phone”?" in first.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()

    second = patient_client.post(revoke_url(token), {"confirm": "yes"}, follow=True)
    assert second.redirect_chain[-1][0] == PROFILE_URL
    assert "Token “Phone” revoked: apps using it can no longer connect." in second.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api_status(secret) == 401


def test_another_patients_token_cannot_be_revoked(patient_client, other_patient):
    theirs, secret = create_token(user=other_patient, name="Theirs")
    assert patient_client.post(revoke_url(theirs), {"confirm": "yes"}).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert api_status(secret) == 200


def test_the_token_list_costs_one_query_however_many_tokens(patient_client, patient):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(PROFILE_URL).status_code == 200
        return len(queries)

    create_token(user=patient, name="first")
    few = count_queries()
    for n in range(MAX_TOKENS_PER_USER - 1):
        create_token(user=patient, name=f"token {n}")
    assert count_queries() == few
