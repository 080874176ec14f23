"""Her reminder settings (consent at sign-up or in the profile), her time zone, and the one-click
unsubscribe (RFC 8058) that needs no login."""

import datetime
import re
import zoneinfo

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import PhysioFactory, PrescriptionFactory, SymptomLogFactory
from tests.helpers import text_of
from tests.views.test_signup_and_login import signup_data
from tracker.middleware import UserTimeZoneMiddleware
from tracker.models import AlertSettings, ReminderSettings, User
from tracker.services.mail import unsubscribe_token

URL = reverse("reminder_settings")
pytestmark = pytest.mark.django_db


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def settings_data(**overrides) -> dict:
    data = {
        "enabled": "on",
        "remind_at": "18:00",
        "session": "on",
        "session_days": ["0", "3"],
        "measurement": "on",
    }
    data.update(overrides)
    return data


# --- the settings page --------------------------------------------------------------------------


def test_reminders_are_off_until_she_turns_them_on(patient_client, patient):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert 'name="enabled"' in response.text and 'name="enabled" checked' not in response.text
    assert "Reminder e-mails are off" in text_of(patient_client.get(reverse("profile")))
    assert not ReminderSettings.objects.exists()
    assert "never between 21:00 and 08:00" in text_of(response)  # the quiet hours, from metrics


def test_while_her_exercises_are_paused_the_page_says_session_reminders_wait(patient_client, patient):
    """The dashboard says her session reminders wait until she has been seen: this page agrees."""
    assert "Not sent now" not in text_of(patient_client.get(URL))
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    text = text_of(patient_client.get(URL))
    assert "Not sent now: a warning sign pauses your calf exercises until you have been seen" in text
    assert "Not sent now either: the test works your calf to fatigue." in text  # the heel-rise test


def test_she_turns_them_on_with_her_days_and_time(patient_client, patient):
    response = patient_client.post(URL, settings_data(remind_at="19:15"))
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(user=patient)
    assert (saved.enabled, saved.remind_at, saved.chosen_days()) == (True, datetime.time(19, 15), (0, 3))
    assert (saved.measurement, saved.heel_rise, saved.check_in) == (True, False, False)
    profile = text_of(patient_client.get(reverse("profile")))
    assert "Reminder e-mails are on , at 19:15 your time: sessions on Monday, Thursday;" in profile


def test_her_programmes_days_are_ticked_and_kept_as_the_programmes(patient_client, patient):
    PrescriptionFactory(patient=patient, times_per_week=3)
    page = patient_client.get(URL).text
    ticked = re.findall(r'name="session_days" value="(\d)"\s+id="id_session_days_\d" checked', page)
    assert ticked == ["0", "2", "4"]
    assert "days (Monday, Wednesday, Friday) are ticked until you choose others" in text_of_html(page)
    patient_client.post(URL, settings_data(session_days=["0", "2", "4"]))
    assert ReminderSettings.objects.get(user=patient).session_days is None  # follows the programme


def test_turning_them_on_needs_an_email_address(patient_client, patient):
    patient.email = ""
    patient.save()
    response = patient_client.post(URL, settings_data())
    assert response.status_code == 200
    assert "Add your e-mail address in your profile first" in response.text
    assert not ReminderSettings.objects.exists()


@pytest.mark.parametrize("time", ["22:00", "07:30"])
def test_no_reminder_time_in_quiet_hours(patient_client, time):
    response = patient_client.post(URL, settings_data(remind_at=time))
    assert response.status_code == 200
    # In her words, not the validator's "Ensure this value is less than or equal to 20:59:00."
    assert "Choose a time from 08:00 to 20:59: no reminders are sent at night." in response.text
    assert "Ensure this value" not in response.text
    assert not ReminderSettings.objects.exists()


def test_a_session_reminder_needs_a_day(patient_client):
    response = patient_client.post(URL, settings_data(session_days=[]))
    assert "Tick at least one day" in response.text


def test_she_turns_them_off(patient_client, patient):
    ReminderSettings.objects.create(user=patient, enabled=True)
    patient_client.post(URL, {"remind_at": "18:00"})
    assert not ReminderSettings.objects.get(user=patient).enabled


# --- sign-up and time zone ----------------------------------------------------------------------


def test_she_may_turn_them_on_at_sign_up_with_her_browsers_time_zone(client):
    page = client.get("/accounts/signup/").text
    assert "data-browser-time-zone" in page and "tracker/time_zone.js" in page
    response = client.post("/accounts/signup/", signup_data(reminders="on", time_zone="Europe/London"))
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.time_zone == "Europe/London"
    assert ReminderSettings.objects.get(user=user).enabled


def test_without_ticking_them_she_signs_up_without_reminders(client):
    client.post("/accounts/signup/", signup_data(time_zone=""))
    user = User.objects.get(username="newbie")
    assert user.time_zone == ""
    assert not ReminderSettings.objects.filter(user=user).exists()


def test_reminders_at_sign_up_need_an_email_and_a_real_zone(client):
    response = client.post(
        "/accounts/signup/", signup_data(reminders="on", email="", time_zone="Mars/Olympus")
    )
    assert "Enter your e-mail address above to get reminders." in response.text
    assert "Select a valid choice" in response.text
    assert not User.objects.filter(username="newbie").exists()


def test_each_time_zone_shows_its_offset_so_an_etc_name_cannot_mislead(patient_client):
    """"Etc/GMT+5" is five hours behind UTC: chosen for "GMT+5", her reminders came ten hours off."""
    page = patient_client.get(reverse("profile")).content.decode()
    assert '<option value="Etc/GMT+5">Etc/GMT+5 (now UTC\u221205:00)</option>' in page
    assert '<option value="Asia/Kolkata">Asia/Kolkata (now UTC+05:30)</option>' in page
    london = timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/London")).utcoffset()
    assert f"Europe/London (now UTC+{london.seconds // 3600:02d}:00)" in page  # +00:00 or, in summer, +01:00


def test_her_time_zone_is_edited_in_her_profile(patient_client, patient):
    from tests.views.test_profile import form_data

    patient_client.post(reverse("profile"), form_data(time_zone="America/New_York"))
    patient.refresh_from_db()
    assert patient.time_zone == "America/New_York"


def test_her_pages_use_her_time_zone():
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return None

    middleware = UserTimeZoneMiddleware(view)
    request = RequestFactory().get("/")
    request.user = User(time_zone="Pacific/Auckland")
    middleware(request)
    assert seen["zone"] == "Pacific/Auckland"
    request.user = User(time_zone="")
    middleware(request)
    assert seen["zone"] == timezone.get_default_timezone_name()
    assert zoneinfo.ZoneInfo(User(time_zone="Pacific/Auckland").zone().key)


# --- one-click unsubscribe ----------------------------------------------------------------------


def unsubscribe_url(user, topic="reminders") -> str:
    return reverse("unsubscribe", args=[unsubscribe_token(user, topic)])


def test_the_link_asks_first_so_a_link_checker_unsubscribes_nobody(client, patient):
    ReminderSettings.objects.create(user=patient, enabled=True)
    response = client.get(unsubscribe_url(patient))
    assert response.status_code == 200
    assert "Stop reminder e-mails?" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert ReminderSettings.objects.get(user=patient).enabled


def test_one_click_rfc_8058_post_without_login_or_csrf_token(patient):
    from django.test import Client

    ReminderSettings.objects.create(user=patient, enabled=True)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_url(patient),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You will get no more reminder e-mails" in response.text
    assert not ReminderSettings.objects.get(user=patient).enabled
    assert f'href="{URL}"' in response.text


def test_a_physio_unsubscribes_from_the_digest_only(client):
    physio = PhysioFactory()
    client.post(unsubscribe_url(physio, "digest"))
    settings = AlertSettings.objects.get(user=physio)
    assert (settings.daily_digest, settings.urgent_alerts) == (False, True)


def test_a_broken_link_is_a_404_that_changes_nothing(client, patient):
    ReminderSettings.objects.create(user=patient, enabled=True)
    response = client.post(unsubscribe_url(patient)[:-5] + "nope/")
    assert response.status_code == 404
    assert "This link is not valid" in response.text
    assert ReminderSettings.objects.get(user=patient).enabled
