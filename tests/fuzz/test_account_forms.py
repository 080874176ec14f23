"""Hostile input to sign-up, login, password reset, API token names and account deletion.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.common import (
    FUZZ,
    SIGNUP_FIELDS,
    assert_answered,
    hostile,
    logged_in,
    texts,
)
from tracker.models import (
    ApiToken,
    User,
)


@FUZZ
@given(data=st.data(), number=st.integers(min_value=0, max_value=10**6))
def test_signup_survives_hostile_input(db, data, number):
    baseline = {"username": f"fuzz{number}", "first_name": "Fay", "email": "fay@example.com",
                "password1": "a-long-enough-passphrase-42", "password2": "a-long-enough-passphrase-42",
                "affected_side": "left", "condition": "", "unit": "cm"}
    payload = data.draw(hostile(baseline, SIGNUP_FIELDS))
    before = set(User.objects.values_list("pk", flat=True))
    response = Client().post(reverse("signup"), payload)
    assert_answered(response, payload.get("condition"))
    created = User.objects.exclude(pk__in=before)
    assert created.count() == (response.status_code == 302)
    for user in created:
        user.full_clean()
        user.profile.full_clean()
    created.delete()


@FUZZ
@given(
    # Up to 255 characters: longer ones are a known bug, see test_login_with_a_very_long_username_is_no_500.
    username=st.one_of(st.just("anna"), texts.filter(lambda text: len(text) <= 255)),
    password=st.one_of(st.just("correct-horse-battery"), texts),
)
def test_login_survives_hostile_input(patient, username, password):
    """The login form (django-axes counts failures by username and address: NUL must not break that)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 302, 403, 429)
    if response.status_code == 200:
        assert response.context["form"].errors


@FUZZ
@given(email=st.one_of(st.just("anna@example.com"), texts))
def test_password_reset_survives_hostile_input(patient, email):
    response = Client().post(reverse("password_reset"), {"email": email})
    assert_answered(response, email)


@FUZZ
@given(name=texts)
def test_token_name_survives_hostile_input(patient, name):
    ApiToken.objects.filter(user=patient).delete()
    response = logged_in(patient).post(reverse("token_create"), {"name": name})
    assert response.status_code == 200  # the new token's page, or the form with its errors
    stored = list(ApiToken.objects.filter(user=patient))
    if not stored:
        assert response.context["form"].errors
    for token in stored:
        token.full_clean()
        assert "<script>alert" not in response.content.decode()


@FUZZ
@given(password=texts)
def test_account_deletion_refuses_hostile_passwords(patient, password):
    AccessAttempt.objects.all().delete()  # one wrong password per example: no lockout (429) in between
    response = logged_in(patient).post(reverse("account_delete"), {"password": password})
    assert_answered(response)
    assert response.status_code == 200  # none of these is her password: nothing is deleted
    assert User.objects.filter(pk=patient.pk).exists()
