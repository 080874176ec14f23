"""The physio's own e-mail settings in the admin (alerts, digest, time zone) and the log of e-mails."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, PhysioFactory, UserFactory
from tracker.models import AlertSettings, SentReminder

URL = reverse("admin:tracker_user_my_settings")
pytestmark = pytest.mark.django_db


@pytest.fixture
def physio_client(client):
    physio = PhysioFactory(username="priya")
    client.force_login(physio)
    client.user = physio
    return client


def test_every_admin_page_links_to_her_settings(physio_client):
    page = physio_client.get(reverse("admin:index")).text
    assert f'href="{URL}"' in page


def test_both_are_on_by_default_with_the_digest_at_07_30(physio_client):
    page = physio_client.get(URL).text
    assert re.search(r'<input type="checkbox" name="urgent_alerts"[^>]* checked', page)
    assert re.search(r'<input type="checkbox" name="daily_digest"[^>]* checked', page)
    assert 'value="07:30"' in page
    assert "data-browser-time-zone" in page and "tracker/time_zone.js" in page


def test_she_turns_the_digest_off_and_sets_her_zone(physio_client):
    response = physio_client.post(
        URL, {"urgent_alerts": "on", "digest_at": "06:45", "time_zone": "Europe/Dublin"}
    )
    assert response.status_code == 302
    saved = AlertSettings.objects.get(user=physio_client.user)
    assert (saved.urgent_alerts, saved.daily_digest, saved.digest_at) == (True, False, datetime.time(6, 45))
    physio_client.user.refresh_from_db()
    assert physio_client.user.time_zone == "Europe/Dublin"


def test_a_bad_zone_is_refused(physio_client):
    response = physio_client.post(URL, {"digest_at": "07:30", "time_zone": "Nowhere/Atlantis"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not AlertSettings.objects.exists()


def test_it_says_when_her_account_has_no_address(physio_client):
    physio_client.user.email = ""
    physio_client.user.save()
    assert "Your account has no e-mail address" in physio_client.get(URL).text


def test_patients_cannot_reach_it(client):
    client.force_login(PatientFactory())
    assert client.get(URL)["Location"].startswith("/admin/login/")


def test_the_log_of_emails_is_for_superusers_only(client):
    SentReminder.objects.create(user=PatientFactory(), kind="session", local_date=datetime.date(2026, 6, 8))
    changelist = reverse("admin:tracker_sentreminder_changelist")
    client.force_login(PhysioFactory())
    assert client.get(changelist).status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(changelist).text
    assert "session" in page and "Claimed, not sent yet" in page
