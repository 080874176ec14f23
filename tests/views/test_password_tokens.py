"""API tokens and a new password (issue 19, defect 11): browser sessions were logged out by a
password change or reset, but her API tokens kept working. A reset always revokes them; a change
asks, with "revoke" ticked."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tracker.models import ApiToken
from tracker.services.tokens import create_token

NEW_PASSWORD = "a-brand-new-passphrase-42"
CHANGE_URL = "/accounts/password_change/"


@pytest.fixture
def secret(patient) -> str:
    create_token(user=patient, name="Phone shortcut")
    return create_token(user=patient, name="Smart tape")[1]


def api_answers(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/measurements/").status_code


def change(client, password: str, **extra):
    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **extra}
    return client.post(CHANGE_URL, data, follow=True)


def test_the_change_form_asks_with_revoke_ticked(patient_client, secret):
    form = patient_client.get(CHANGE_URL).context["form"]
    field = form["revoke_tokens"]
    assert field.value() is True
    assert "API tokens" in field.label and "2" in field.help_text


def test_a_password_change_revokes_her_tokens_when_ticked(patient_client, patient, password, secret):
    assert api_answers(secret) == 200

    response = change(patient_client, password, revoke_tokens="on")

    assert response.redirect_chain == [("/accounts/password_change/done/", 302)]
    assert not ApiToken.objects.filter(user=patient).exists()
    assert api_answers(secret) == 401
    assert "2 API tokens were revoked" in response.content.decode()


def test_a_password_change_keeps_them_when_she_unticks_it(patient_client, patient, password, secret):
    response = change(patient_client, password)  # an unticked box is not sent

    assert response.redirect_chain == [("/accounts/password_change/done/", 302)]
    assert ApiToken.objects.filter(user=patient).count() == 2
    assert api_answers(secret) == 200


def test_without_tokens_the_question_is_not_asked(patient_client):
    assert "revoke_tokens" not in patient_client.get(CHANGE_URL).context["form"].fields


def reset_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def test_a_password_reset_always_revokes_her_tokens(client, patient, secret):
    set_password_page = client.get(reset_url(patient), follow=True)
    assert set_password_page.redirect_chain[-1][0].endswith("/set-password/")

    done = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert done.redirect_chain == [("/accounts/reset/done/", 302)]
    assert not ApiToken.objects.filter(user=patient).exists()
    assert api_answers(secret) == 401
    assert "API tokens were revoked" in done.content.decode()


def test_a_failed_reset_revokes_nothing(client, patient, secret):
    page = client.get(reset_url(patient), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "different"})
    assert ApiToken.objects.filter(user=patient).count() == 2


def test_a_password_set_by_an_administrator_revokes_her_tokens(admin_client, patient, secret):
    url = reverse("admin:auth_user_password_change", args=[patient.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                       "usable_password": "true"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=patient).exists()
    assert api_answers(secret) == 401


def test_other_users_tokens_are_untouched(patient_client, password, secret):
    other = UserFactory(username="somebody")
    _token, other_secret = create_token(user=other, name="hers")
    change(patient_client, password, revoke_tokens="on")
    assert api_answers(other_secret) in (200, 403)  # still authenticated (she has no patient profile)
    assert ApiToken.objects.filter(user=other).exists()
