"""Sign-up, log in/out, password change and reset, the dashboard's gatekeeping, and the auth pages."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tests.helpers import log_in
from tracker.models import PatientProfile, User

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
NEW_PASSWORD = "tape-measure-calf-2024"


def signup_data(**overrides) -> dict:
    data = {
        "username": "newbie",
        "first_name": "Nora",
        "email": "nora@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "affected_side": "left",
        "condition": "Atrophy of the medial head of the left gastrocnemius",
        "unit": "in",
    }
    data.update(overrides)
    return data


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def one_h1(response) -> str:
    """The text of the page's single <h1>."""
    html = response.content.decode()
    headings = re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(headings) == 1, headings
    return headings[0].strip()


# --- URLs ---------------------------------------------------------------------------------------


def test_url_names_resolve_to_the_documented_paths():
    assert reverse("signup") == SIGNUP_URL
    assert reverse("login") == LOGIN_URL
    assert reverse("logout") == LOGOUT_URL
    assert reverse("password_change") == "/accounts/password_change/"
    assert reverse("password_reset") == "/accounts/password_reset/"
    assert reverse("dashboard") == "/"


# --- sign-up ------------------------------------------------------------------------------------


def test_signup_page_renders(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert one_h1(response) == "Create an account"
    html = response.content.decode()
    for field in ("username", "password1", "password2", "affected_side", "condition", "unit"):
        assert f'for="id_{field}"' in html, field
    assert f'href="{LOGIN_URL}"' in html


def test_signup_creates_user_and_profile_logs_in_and_redirects(client):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(username="newbie")
    assert user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.email) == ("Nora", "nora@example.com")
    assert not user.is_staff
    profile = PatientProfile.objects.get(user=user)
    assert profile.affected_side == "left"
    assert profile.condition == "Atrophy of the medial head of the left gastrocnemius"
    assert profile.unit == "in"
    assert profile.physio is None
    assert str(logged_in_user_id(client)) == str(user.pk)


def test_signup_lands_on_the_dashboard_with_a_welcome(client):
    response = client.post(SIGNUP_URL, signup_data(affected_side="right", unit="cm"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [("/", 302)]
    assert "Welcome! Your account is ready." in response.content.decode()
    assert User.objects.get(username="newbie").profile.affected_side == "right"


@pytest.mark.parametrize("weak", ["12345678", "password", "newbie12", "calf"])
def test_signup_refuses_a_weak_password_and_keeps_the_input(client, weak):
    response = client.post(SIGNUP_URL, signup_data(password1=weak, password2=weak))

    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()
    assert response.context["form"].errors["password2"]
    html = response.content.decode()
    assert 'value="newbie"' in html
    assert 'value="nora@example.com"' in html
    assert "Atrophy of the medial head of the left gastrocnemius" in html
    assert logged_in_user_id(client) is None


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(SIGNUP_URL, signup_data(password2="something-else-entirely"))

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.parametrize("taken", ["anna", "Anna"])
def test_signup_refuses_a_taken_username(client, patient, taken):
    response = client.post(SIGNUP_URL, signup_data(username=taken))

    assert response.status_code == 200
    # The same words as the admin's new-patient form (tests/admin/test_review.py).
    assert response.context["form"].errors["username"] == ["This username is taken. Choose another one."]
    assert User.objects.filter(username__iexact="anna").count() == 1


@pytest.mark.parametrize(
    ("field", "value"), [("affected_side", "middle"), ("unit", "furlong"), ("username", "")]
)
def test_signup_refuses_bad_choices(client, field, value):
    response = client.post(SIGNUP_URL, signup_data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == 0
    assert PatientProfile.objects.count() == 0


def test_signup_turned_off_is_a_404_and_the_login_page_has_no_link(client, settings):
    settings.ALLOW_SIGNUP = False

    assert client.get(SIGNUP_URL).status_code == 404
    assert client.post(SIGNUP_URL, signup_data()).status_code == 404
    assert not User.objects.exists()
    login_page = client.get(LOGIN_URL).content.decode()
    assert SIGNUP_URL not in login_page
    assert "Create an account" not in login_page


def test_login_page_links_to_signup_when_it_is_on(client, settings):
    settings.ALLOW_SIGNUP = True

    assert f'href="{SIGNUP_URL}"' in client.get(LOGIN_URL).content.decode()


def test_logged_in_user_visiting_signup_is_redirected(patient_client):
    response = patient_client.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response.url == "/"


def test_logged_in_user_cannot_sign_up_again(patient_client):
    response = patient_client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert not User.objects.filter(username="newbie").exists()


# --- login and logout ---------------------------------------------------------------------------


def test_login_page_renders(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert one_h1(response) == "Log in"
    html = response.content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'href="/accounts/password_reset/"' in html


def test_login_with_the_right_password(client, patient, password):
    response = client.post(LOGIN_URL, {"username": "anna", "password": password})

    assert response.status_code == 302
    assert response.url == "/"
    assert str(logged_in_user_id(client)) == str(patient.pk)


def test_login_keeps_next(client, patient, password):
    page = client.get(LOGIN_URL + "?next=/healthz")
    assert 'name="next" value="/healthz"' in page.content.decode()

    response = client.post(LOGIN_URL, {"username": "anna", "password": password, "next": "/healthz"})

    assert response.url == "/healthz"


def test_login_ignores_an_offsite_next(client, patient, password):
    response = client.post(
        LOGIN_URL, {"username": "anna", "password": password, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == "/"


def test_login_with_a_wrong_password_keeps_the_username(client, patient):
    response = client.post(LOGIN_URL, {"username": "anna", "password": "not-the-password"})

    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    html = response.content.decode()
    assert 'value="anna"' in html
    assert "Please enter a correct username and password" in html


def test_logout_is_post_only_and_ends_the_session(patient_client):
    assert patient_client.get(LOGOUT_URL).status_code == 405
    assert logged_in_user_id(patient_client) is not None

    response = patient_client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert logged_in_user_id(patient_client) is None
    assert patient_client.get("/").status_code == 302


# --- password change ----------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/accounts/password_change/"


def test_password_change(patient_client, patient, password):
    page = patient_client.get("/accounts/password_change/")
    assert page.status_code == 200
    assert one_h1(page) == "Change your password"

    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/accounts/password_change/done/", 302)]
    assert one_h1(response) == "Password changed"
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)
    # The session survives the change (update_session_auth_hash).
    assert patient_client.get("/").status_code == 200


def test_password_change_with_wrong_old_password(patient_client, patient, password):
    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong-one", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    patient.refresh_from_db()
    assert patient.check_password(password)


def test_password_change_refuses_a_weak_password(patient_client, patient, password):
    response = patient_client.post(
        "/accounts/password_change/",
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    patient.refresh_from_db()
    assert patient.check_password(password)


# --- password reset -----------------------------------------------------------------------------


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/reset/\S+/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_flow(client, password):
    user = PatientFactory(username="resetme", email="resetme@example.com")

    form_page = client.get("/accounts/password_reset/")
    assert form_page.status_code == 200
    assert one_h1(form_page) == "Reset your password"

    response = client.post("/accounts/password_reset/", {"email": "resetme@example.com"}, follow=True)
    assert response.redirect_chain == [("/accounts/password_reset/done/", 302)]
    assert one_h1(response) == "Check your email"

    message = mail.outbox[0]
    assert message.to == ["resetme@example.com"]
    assert "Your username is: resetme" in message.body
    link = reset_link()

    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200
    assert confirm.redirect_chain[-1][0].endswith("/set-password/")
    assert one_h1(confirm) == "Choose a new password"
    assert "invalid" not in confirm.content.decode()
    set_password_url = confirm.redirect_chain[-1][0]

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain == [("/accounts/reset/done/", 302)]
    assert one_h1(done) == "Your new password is set"

    assert log_in(client, "resetme", NEW_PASSWORD)
    client.logout()
    assert not log_in(client, "resetme", password)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once only.
    reused = client.get(link, follow=True)
    assert "This reset link is invalid or has already been used." in reused.content.decode()
    assert "new_password1" not in reused.content.decode()


def test_password_reset_refuses_a_weak_new_password(client):
    PatientFactory(username="resetme", email="resetme@example.com")
    client.post("/accounts/password_reset/", {"email": "resetme@example.com"})
    set_password_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_password_reset_with_a_forged_link(client):
    response = client.get("/accounts/reset/MQ/not-a-real-token/")

    assert response.status_code == 200
    assert one_h1(response) == "Choose a new password"
    assert "This reset link is invalid or has already been used." in response.content.decode()


def test_password_reset_complete_page(client):
    response = client.get("/accounts/reset/done/")

    assert response.status_code == 200
    assert one_h1(response) == "Your new password is set"
    assert f'href="{LOGIN_URL}"' in response.content.decode()


# --- dashboard gatekeeping ----------------------------------------------------------------------


def test_dashboard_requires_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/"


def test_dashboard_renders_for_a_patient(patient_client, patient):
    response = patient_client.get("/")

    assert response.status_code == 200
    assert "tracker/dashboard.html" in [t.name for t in response.templates]
    assert one_h1(response)


def test_physio_is_sent_to_the_admin(client, physio):
    client.force_login(physio)

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_user_without_a_profile_is_sent_to_the_admin(client):
    client.force_login(UserFactory())

    assert client.get("/").url == "/admin/"
