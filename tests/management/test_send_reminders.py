"""`manage.py send_reminders [--at ISO-DATETIME] [--dry-run]`: one pass of the scheduler, on the demo."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tracker import metrics
from tracker.models import ReminderSettings, SentReminder, User

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def send_reminders(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def next_monday_london(hour: int, minute: int) -> datetime.datetime:
    """A Monday to come, after the demo's warning sign (ticked yesterday) has closed: while it is
    open her session reminder is paused."""
    today = timezone.localdate()
    days = (7 - today.weekday()) or 7
    if days + 1 <= metrics.SYMPTOM_FLAG_DAYS:  # tomorrow is Monday: the sign is still open then
        days += 7
    monday = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(monday, datetime.time(hour, minute), LONDON)


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", stdout=StringIO())
    return User.objects.get(username="demo")


def test_the_demo_patient_lives_in_london_with_her_reminders_on(demo):
    settings = ReminderSettings.objects.get(user=demo)
    assert demo.time_zone == "Europe/London"
    assert (settings.enabled, settings.remind_at, settings.chosen_days()) == (
        True,
        datetime.time(18, 0),
        (0, 2, 4, 6),
    )
    assert settings.session and settings.measurement


def test_a_dry_run_next_monday_at_18_05_lists_her_session_reminder_and_sends_nothing(demo):
    out = send_reminders("--dry-run", "--at", next_monday_london(18, 5).isoformat())
    assert "demo would get the session reminder (session," in out
    assert "nothing sent" in out
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_a_dry_run_at_23_30_lists_nothing_for_her(demo):
    out = send_reminders("--dry-run", "--at", next_monday_london(23, 30).isoformat())
    assert "demo" not in out
    assert "0 due" in out


def test_a_pass_sends_it_once(demo):
    at = next_monday_london(18, 5).isoformat()
    out = send_reminders("--at", at)
    assert "1 sent" in out
    assert [m.to for m in mail.outbox] == [["demo@example.com"]]
    again = send_reminders("--at", next_monday_london(18, 10).isoformat())
    assert "0 due" in again and len(mail.outbox) == 1


def test_a_moment_without_an_offset_is_in_the_sites_time_zone(demo):
    naive = next_monday_london(18, 5).astimezone(timezone.get_default_timezone()).replace(tzinfo=None)
    assert "demo would get the session reminder" in send_reminders("--dry-run", "--at", naive.isoformat())


def test_a_bad_moment_is_refused():
    with pytest.raises(CommandError, match="ISO date-time"):
        send_reminders("--at", "next monday")
