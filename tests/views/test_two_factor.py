"""Two-factor sign-in (issue 19): an authenticator app and recovery codes (django-otp), required for
staff when REQUIRE_STAFF_2FA is on, optional for patients; django-axes counts wrong codes."""

import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.helpers import token_client
from tests.factories import PASSWORD, PatientFactory, PhysioFactory, UserFactory
from tracker.services import two_factor

LOGIN, VERIFY, ENROL = reverse("login"), reverse("login_verify"), reverse("login_enrol")


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the phone shows (a step ahead: a code is accepted once, and 1 step of drift is allowed)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.new_app_device(user)
    codes = two_factor.confirm_app_device(device, app_code(device))
    device.refresh_from_db()
    return device, codes


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client: Client, username: str, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra}, REMOTE_ADDR="10.0.0.7")


def code_step(client: Client, code: str):
    return client.post(VERIFY, {"code": code}, REMOTE_ADDR="10.0.0.7")


@pytest.fixture
def anna(db):
    return PatientFactory(username="anna")


# --- a patient turns it on, in her profile ---------------------------------------------------------


def test_enrolment_shows_a_qr_code_then_recovery_codes_once(client, anna, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp would make her wait a second after a wrong code
    client.force_login(anna)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=anna, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    done = client.post(reverse("two_factor_setup"), {"code": app_code(device)})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert "shown only this once" in done.content.decode()
    assert two_factor.has_second_factor(anna)
    assert client.get(reverse("dashboard")).status_code == 200  # this session is verified
    # The codes are not shown again: the settings page only counts them.
    settings_page = client.get(reverse("two_factor")).content.decode()
    assert "10</strong> unused recovery codes" in settings_page
    assert not any(code in settings_page for code in codes)


def test_turning_it_on_logs_her_out_on_her_other_devices(client, anna):
    other_device = Client()
    assert password_step(other_device, "anna").status_code == 302 and logged_in(other_device)
    client.force_login(anna)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=anna, confirmed=False)
    client.post(reverse("two_factor_setup"), {"code": app_code(device)})

    assert other_device.get(reverse("dashboard")).status_code == 302
    assert not logged_in(other_device)


# --- logging in with it -------------------------------------------------------------------------------


def test_the_password_alone_does_not_log_her_in(client, anna):
    enrolled(anna)

    response = password_step(client, "anna")

    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not logged_in(client)
    assert client.get(reverse("dashboard"))["Location"].startswith(LOGIN)


def test_a_valid_code_logs_her_in(client, anna):
    device, _codes = enrolled(anna)
    password_step(client, "anna", next="/measurements/")

    response = code_step(client, app_code(device, steps_ahead=1))

    assert response.status_code == 302 and response["Location"] == "/measurements/"
    assert logged_in(client)
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_invalid_code_does_not(client, anna):
    enrolled(anna)
    password_step(client, "anna")

    response = code_step(client, "123456")

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not logged_in(client)


def test_a_recovery_code_works_once(client, anna):
    _device, codes = enrolled(anna)
    password_step(client, "anna")
    assert code_step(client, codes[0].upper()).status_code == 302
    assert logged_in(client)
    assert StaticToken.objects.filter(device__user=anna).count() == len(codes) - 1

    again = Client()
    password_step(again, "anna")
    assert code_step(again, codes[0]).status_code == 200
    assert not logged_in(again)


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, anna, settings):
    device, _codes = enrolled(anna)
    password_step(client, "anna")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = code_step(client, "000000")
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200), attempt
    assert "Too many failed log-ins" in response.content.decode()

    # Locked out: neither the right code nor the password gets her in now.
    assert code_step(client, app_code(device, steps_ahead=1)).status_code in (302, 429)
    assert not logged_in(client)
    assert password_step(Client(), "anna").status_code == 429


def test_the_code_step_expires(client, anna, monkeypatch):
    device, _codes = enrolled(anna)
    password_step(client, "anna")
    later = time.time() + 10 * 60
    monkeypatch.setattr("tracker.views.two_factor.time.time", lambda: later)
    response = code_step(client, app_code(device, steps_ahead=1))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not logged_in(client)


def test_without_a_second_factor_the_password_is_enough(client, anna):
    assert password_step(client, "anna").status_code == 302
    assert logged_in(client)


def test_her_api_tokens_keep_working(anna):
    enrolled(anna)
    assert token_client(anna).get("/api/v1/measurements/").status_code == 200


def test_a_session_from_before_she_turned_it_on_is_logged_out(client, anna):
    client.force_login(anna)  # e.g. on another device, before
    enrolled(anna)
    assert client.get(reverse("dashboard")).status_code == 302
    assert not logged_in(client)


def test_turning_it_off_needs_her_password(client, anna):
    device, _codes = enrolled(anna)
    password_step(client, "anna")
    code_step(client, app_code(device, steps_ahead=1))
    client.post(reverse("two_factor_off"), {"password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    assert two_factor.has_second_factor(anna)
    client.post(reverse("two_factor_off"), {"password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert not two_factor.has_second_factor(anna)


# --- staff: required when REQUIRE_STAFF_2FA is on -----------------------------------------------------


@pytest.fixture
def required(db, settings):
    settings.REQUIRE_STAFF_2FA = True


def test_the_admin_refuses_staff_without_the_second_factor(client, required):
    physio = PhysioFactory(username="physio")
    client.force_login(physio)  # a password-only session

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert not logged_in(client)
    assert client.get(reverse("admin:login"))["Location"].startswith(LOGIN)


def test_staff_are_made_to_enrol_at_their_first_login(client, required):
    PhysioFactory(username="physio")

    response = password_step(client, "physio", next="/admin/")

    assert response["Location"] == ENROL
    assert not logged_in(client)
    page = client.get(ENROL)
    assert "Clinic staff open patients' health records" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="physio", confirmed=False)
    done = client.post(ENROL, {"code": app_code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == two_factor.RECOVERY_CODE_COUNT
    assert done.context["next_url"] == "/admin/"
    assert logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_enrolled_staff_log_in_to_the_admin_with_a_code(client, required):
    physio = PhysioFactory(username="physio")
    device, _codes = enrolled(physio)
    password_step(client, "physio", next="/admin/")
    assert code_step(client, app_code(device, steps_ahead=1))["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_cannot_turn_it_off(client, required):
    physio = PhysioFactory(username="physio")
    device, _codes = enrolled(physio)
    password_step(client, "physio")
    code_step(client, app_code(device, steps_ahead=1))
    client.post(reverse("two_factor_off"), {"password": PASSWORD})
    assert two_factor.has_second_factor(physio)


def test_patients_are_not_required_to_have_it(client, required, anna):
    assert password_step(client, "anna").status_code == 302
    assert logged_in(client)


def test_a_superuser_resets_a_lost_device_with_an_audit_entry(admin_client, required):
    physio = PhysioFactory(username="physio")
    enrolled(physio)
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    device, _codes = enrolled(admin)
    boss = Client()
    password_step(boss, "boss")
    code_step(boss, app_code(device, steps_ahead=1))

    response = boss.post(reverse("admin:tracker_user_changelist"),
                         {"action": "reset_two_factor", "_selected_action": [physio.pk]})

    assert response.status_code == 302
    assert not two_factor.has_second_factor(physio)
    entry = LogEntry.objects.get(object_id=str(physio.pk))
    assert entry.user == admin
    assert "Reset two-factor sign-in (lost device)" in entry.get_change_message()
    # Her next login asks her to set up a new app.
    assert password_step(Client(), "physio")["Location"] == ENROL


def test_check_deploy_warns_when_staff_need_no_second_factor(db, settings, capsys):
    settings.REQUIRE_STAFF_2FA = False
    call_command("check", deploy=True, tags=["security"], fail_level="CRITICAL")
    assert "tracker.W001" in capsys.readouterr().err
