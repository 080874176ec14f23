"""The patient's reminders through the engine: who is due, claims, at most one a day, delivery,
retries with back-off, and the accounts that must never get one (off, unsubscribed, inactive,
deleted)."""

import datetime
import re
import smtplib
from datetime import UTC, time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from tests.factories import (
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
)
from tracker.models import ReminderSettings, SentReminder
from tracker.services import reminders
from tracker.services.reminder_kinds import KINDS

pytestmark = pytest.mark.django_db

# Monday 8 June 2026, 18:05 in London (BST, UTC+1).
MONDAY = datetime.datetime(2026, 6, 8, 17, 5, tzinfo=UTC)
MONDAY_DATE = datetime.date(2026, 6, 8)
Status = SentReminder.Status


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def reminded_patient(*, zone="Europe/London", days=(0, 2, 4, 6), **settings) -> "PatientFactory":
    """A patient in `zone` with reminders on: sessions on `days` at 18:00, and whatever `settings` say
    (the measurement and heel-rise reminders are off unless asked for, to test one thing at a time)."""
    patient = PatientFactory(time_zone=zone)
    fields = {"measurement": False, "heel_rise": False, "session_days": ReminderSettings.days_to_bits(days)}
    ReminderSettings.objects.create(user=patient, enabled=True, **{**fields, **settings})
    return patient


def due_at(at, **kwargs) -> list[tuple[str, str]]:
    return [(due.user.username, due.kind) for due in reminders.plan(at, **kwargs)]


def run(at) -> reminders.PassResult:
    return reminders.run_pass(at, dispatch=lambda pk: reminders.deliver(pk, at=at))


# --- who is due -------------------------------------------------------------------------------------


def test_a_session_reminder_is_due_on_her_day_at_her_time():
    patient = reminded_patient()
    assert due_at(MONDAY) == [(patient.username, "session")]


def test_not_before_her_time_nor_on_a_day_off_nor_in_quiet_hours():
    reminded_patient()
    assert due_at(MONDAY - datetime.timedelta(minutes=10)) == []  # 17:55 in London
    assert due_at(MONDAY + datetime.timedelta(days=1)) == []  # Tuesday
    assert due_at(MONDAY + datetime.timedelta(hours=5, minutes=25)) == []  # 23:30


def test_a_session_logged_before_her_time_cancels_it():
    patient = reminded_patient()
    ExerciseSessionFactory(patient=patient, performed_at=MONDAY - datetime.timedelta(hours=3))
    assert due_at(MONDAY) == []


def test_yesterdays_session_does_not_cancel_todays_reminder():
    patient = reminded_patient()
    ExerciseSessionFactory(patient=patient, performed_at=MONDAY - datetime.timedelta(days=1))
    assert due_at(MONDAY) == [(patient.username, "session")]


def test_her_day_is_her_own_time_zones():
    """At 17:05 UTC it is 18:05 in London but 03:05 on Tuesday in Sydney."""
    london = reminded_patient()
    reminded_patient(zone="Australia/Sydney")
    assert due_at(MONDAY) == [(london.username, "session")]


def test_across_the_clocks_going_forward_18_00_stays_her_18_00():
    patient = reminded_patient(days=(5, 6))  # Saturday 28 and Sunday 29 March 2026; BST from Sunday
    saturday_17_05_utc = datetime.datetime(2026, 3, 28, 17, 5, tzinfo=UTC)  # 17:05 GMT
    sunday_17_05_utc = datetime.datetime(2026, 3, 29, 17, 5, tzinfo=UTC)  # 18:05 BST
    assert due_at(saturday_17_05_utc) == []
    assert due_at(saturday_17_05_utc + datetime.timedelta(hours=1)) == [(patient.username, "session")]
    assert due_at(sunday_17_05_utc) == [(patient.username, "session")]


def test_without_chosen_days_the_programmes_frequency_decides():
    patient = reminded_patient(days=())
    ReminderSettings.objects.filter(user=patient).update(session_days=None)
    assert due_at(MONDAY) == []  # no programme, no session days
    PrescriptionFactory(
        patient=patient, times_per_week=3, start_date=MONDAY_DATE - datetime.timedelta(weeks=2)
    )
    assert due_at(MONDAY) == [(patient.username, "session")]  # Monday, Wednesday, Friday
    assert due_at(MONDAY + datetime.timedelta(days=1)) == []


def test_no_session_reminder_while_a_warning_sign_she_logged_is_open():
    """An urgent warning sign pauses her programme until she has been seen (metrics.pauses_exercise):
    the reminder comes back once the sign is closed (SYMPTOM_FLAG_DAYS)."""
    patient = reminded_patient()
    SymptomLogFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=1), flag_dvt_signs=True)
    assert due_at(MONDAY) == []
    assert due_at(MONDAY + datetime.timedelta(days=2)) == [(patient.username, "session")]  # Wednesday


def test_while_paused_her_check_in_reminder_still_comes():
    patient = reminded_patient(check_in=True)
    SymptomLogFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=1), flag_numbness=True)
    assert due_at(MONDAY) == [(patient.username, "check_in")]


def test_while_paused_no_heel_rise_test_is_asked_for_but_a_measurement_is():
    """The test works the calf to fatigue, which the pause forbids; a tape measure does not."""
    patient = reminded_patient(days=(), session=False, heel_rise=True)
    HeelRiseTestFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=40))
    assert due_at(MONDAY) == [(patient.username, "heel_rise")]
    SymptomLogFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=1), flag_tear_pop=True)
    assert due_at(MONDAY) == []
    ReminderSettings.objects.filter(user=patient).update(measurement=True)
    assert due_at(MONDAY) == [(patient.username, "measurement")]


def test_a_warning_sign_logged_between_claim_and_sending_stops_the_heel_rise_reminder():
    patient = reminded_patient(days=(), session=False, heel_rise=True)
    result = reminders.run_pass(MONDAY, dispatch=lambda pk: None)
    SymptomLogFactory(patient=patient, date=MONDAY_DATE, flag_dvt_signs=True)
    assert reminders.deliver(result.claimed[0].pk, at=MONDAY).status == "skipped"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "account",
    ["reminders off", "unsubscribed", "session reminder off", "no e-mail", "inactive", "deleted", "physio"],
)
def test_nobody_gets_one_without_consent_an_address_or_an_active_account(account):
    patient = reminded_patient()
    settings = ReminderSettings.objects.get(user=patient)
    if account == "reminders off":
        settings.enabled = False
        settings.save()
    elif account == "unsubscribed":
        from tracker.services.mail import unsubscribe

        unsubscribe(patient, "reminders")
    elif account == "session reminder off":
        settings.session = False
        settings.save()
    elif account == "no e-mail":
        patient.email = ""
        patient.save()
    elif account == "inactive":
        patient.is_active = False
        patient.save()
    elif account == "deleted":
        from tracker.services.accounts import delete_account

        delete_account(patient)
    elif account == "physio":
        patient.profile.delete()  # reminders are for patients only
    assert due_at(MONDAY) == []


def test_reminders_are_off_until_she_turns_them_on():
    PatientFactory()  # no settings row at all
    assert not ReminderSettings(user=PatientFactory()).enabled
    assert due_at(MONDAY) == []


def test_a_measurement_reminder_when_her_last_measurement_is_14_days_old():
    patient = reminded_patient(days=(), session=False, measurement=True)
    GirthMeasurementFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=13))
    assert due_at(MONDAY) == []
    GirthMeasurementFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=14), site="max")
    assert due_at(MONDAY) == []  # the latest is still 13 days old
    patient.girth_measurements.all().delete()
    GirthMeasurementFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=14))
    assert due_at(MONDAY) == [(patient.username, "measurement")]


def test_a_heel_rise_test_every_4_weeks_and_an_undone_one_asked_for_weekly():
    patient = reminded_patient(days=(), session=False, heel_rise=True)
    HeelRiseTestFactory(patient=patient, date=MONDAY_DATE - datetime.timedelta(days=40))
    assert due_at(MONDAY) == [(patient.username, "heel_rise")]
    run(MONDAY)
    for days_later, expected in ((1, []), (6, []), (7, [(patient.username, "heel_rise")])):
        assert due_at(MONDAY + datetime.timedelta(days=days_later)) == expected


def test_a_check_in_reminder_only_when_she_asked_and_has_not_checked_in():
    patient = reminded_patient(days=(), session=False, check_in=True)
    assert due_at(MONDAY) == [(patient.username, "check_in")]
    SymptomLogFactory(patient=patient, date=MONDAY_DATE)
    assert due_at(MONDAY) == []


def test_a_questionnaire_reminder_when_one_is_due_and_again_a_week_later_while_unanswered():
    patient = reminded_patient(days=(), session=False)
    assert due_at(MONDAY) == []  # nothing assigned
    QuestionnaireAssignmentFactory(patient=patient, start_date=MONDAY_DATE, repeat_weeks=4)
    assert due_at(MONDAY) == [(patient.username, "questionnaire")]
    [sent] = run(MONDAY).claimed
    [email] = mail.outbox
    assert email.subject == "A short questionnaire from your physiotherapist"
    assert "/questionnaires/" in email.body
    words = re.sub(r"https?://\S+", "", email.subject + email.body).lower()  # a signed token spells anything
    for clinical in ("LEFS", "VISA", "Achilles", "score", "pain", "lower limb"):  # nothing clinical
        assert clinical.lower() not in words
    for days_later, expected in ((1, []), (6, []), (7, [(patient.username, "questionnaire")])):
        assert due_at(MONDAY + datetime.timedelta(days=days_later)) == expected


def test_no_questionnaire_reminder_once_she_has_answered_it_or_turned_it_off():
    patient = reminded_patient(days=(), session=False)
    assignment = QuestionnaireAssignmentFactory(patient=patient, start_date=MONDAY_DATE, repeat_weeks=4)
    ReminderSettings.objects.filter(user=patient).update(questionnaire=False)
    assert due_at(MONDAY) == []
    ReminderSettings.objects.filter(user=patient).update(questionnaire=True)
    QuestionnaireResponseFactory(
        patient=patient, assignment=assignment, due_date=MONDAY_DATE,
        submitted_at=MONDAY - datetime.timedelta(hours=2),
    )
    assert due_at(MONDAY) == []


# --- at most one a day, claimed once ------------------------------------------------------------


def test_at_most_one_reminder_a_day_the_most_pressing_first():
    patient = reminded_patient(measurement=True, heel_rise=True, check_in=True)
    assert due_at(MONDAY) == [(patient.username, "session")]
    result = run(MONDAY)
    assert [row.kind for row in result.claimed] == ["session"]
    assert due_at(MONDAY + datetime.timedelta(hours=1)) == []  # the day's reminder is spent
    # Tuesday is no session day: the measurement (never taken) is next.
    assert due_at(MONDAY + datetime.timedelta(days=1)) == [(patient.username, "measurement")]


def test_a_second_pass_sends_nothing_more():
    reminded_patient()
    run(MONDAY)
    second = run(MONDAY + datetime.timedelta(minutes=5))
    assert second.due == [] and second.claimed == []
    assert len(mail.outbox) == 1


def test_a_claim_is_won_once_and_blocks_the_rest_of_its_group():
    patient = reminded_patient(measurement=True)
    due = reminders.plan(MONDAY)[0]
    assert reminders.claim(due) is not None
    assert reminders.claim(due) is None  # the same kind, user and day
    other = type(due)("measurement", patient, due.local_date, due.group)
    assert reminders.claim(other) is None  # the patient's reminders share one a day
    assert SentReminder.objects.count() == 1


# --- delivery ----------------------------------------------------------------------------------------


def test_the_reminder_is_sent_and_recorded():
    patient = reminded_patient()
    result = run(MONDAY)
    row = SentReminder.objects.get(pk=result.claimed[0].pk)
    assert (row.status, row.sent_to, row.attempts, row.local_date) == (
        Status.SENT,
        patient.email,
        1,
        MONDAY_DATE,
    )
    [message] = mail.outbox
    assert message.to == [patient.email]
    assert message.subject == "Time for your calf exercises"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://localhost:8000/unsubscribe/")
    assert message.alternatives[0].mimetype == "text/html"
    assert "http://localhost:8000/sessions/new/" in message.body
    assert "http://localhost:8000/profile/reminders/" in message.body


def test_a_session_logged_between_claim_and_sending_stops_it():
    patient = reminded_patient()
    result = reminders.run_pass(MONDAY, dispatch=lambda pk: None)
    ExerciseSessionFactory(patient=patient, performed_at=MONDAY)
    assert reminders.deliver(result.claimed[0].pk, at=MONDAY).status == "skipped"
    assert mail.outbox == []
    assert SentReminder.objects.get().last_error == "done already"


def test_a_warning_sign_logged_between_claim_and_sending_stops_the_session_reminder():
    patient = reminded_patient()
    result = reminders.run_pass(MONDAY, dispatch=lambda pk: None)
    SymptomLogFactory(patient=patient, date=MONDAY_DATE, flag_tear_pop=True)
    assert reminders.deliver(result.claimed[0].pk, at=MONDAY).status == "skipped"
    assert mail.outbox == []
    assert SentReminder.objects.get().last_error.startswith("paused: an urgent warning sign is open")


def test_a_failure_is_retried_with_back_off_then_given_up_and_logged(settings, caplog):
    settings.EMAIL_BACKEND = "tests.services.test_reminders.RefusingBackend"
    settings.EMAIL_RETRY_ATTEMPTS = 3
    settings.EMAIL_RETRY_DELAY_SECONDS = 60
    reminded_patient()
    reminder_id = reminders.run_pass(MONDAY, dispatch=lambda pk: None).claimed[0].pk

    first = reminders.deliver(reminder_id, at=MONDAY)
    row = SentReminder.objects.get()
    assert (first.status, first.retry_in, row.status, row.attempts) == ("retry", 60, Status.RETRYING, 1)
    assert "SMTPServerDisconnected" in row.last_error
    assert row.lease_until > timezone.now() + datetime.timedelta(seconds=55)
    assert reminders.deliver(reminder_id, at=MONDAY).status == "busy"  # still backing off

    SentReminder.objects.update(lease_until=None)
    assert reminders.deliver(reminder_id, at=MONDAY).retry_in == 120  # doubled
    SentReminder.objects.update(lease_until=None)
    assert reminders.deliver(reminder_id, at=MONDAY).status == "failed"
    assert SentReminder.objects.get().status == Status.FAILED
    assert "Gave up sending session" in caplog.text


def test_a_claim_left_behind_by_a_crash_is_sent_by_a_later_pass():
    reminded_patient()
    crashed = reminders.run_pass(MONDAY, dispatch=lambda pk: None).claimed[0]  # claimed, never sent
    assert reminders.stale_claims(timezone.now()) == []  # another consumer may still be at it
    SentReminder.objects.update(
        claimed_at=timezone.now() - reminders.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    later = run(MONDAY + datetime.timedelta(minutes=5))
    assert later.retried == [crashed.pk]
    assert SentReminder.objects.get().status == Status.SENT
    assert len(mail.outbox) == 1


def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease():
    reminded_patient()
    reminder_id = reminders.run_pass(MONDAY, dispatch=lambda pk: None).claimed[0].pk
    long_ago = timezone.now() - reminders.LEASE - reminders.STALE_AFTER
    SentReminder.objects.update(status=Status.SENDING, lease_until=long_ago, attempts=1)
    assert reminders.stale_claims(timezone.now()) == [reminder_id]
    assert reminders.deliver(reminder_id, at=MONDAY).status == "sent"
    assert SentReminder.objects.get().attempts == 2


def test_a_deleted_accounts_claim_is_gone_with_it():
    patient = reminded_patient()
    reminder_id = reminders.run_pass(MONDAY, dispatch=lambda pk: None).claimed[0].pk
    patient.delete()
    assert reminders.deliver(reminder_id, at=MONDAY).status == "busy"
    assert mail.outbox == []


def test_every_kind_is_registered_once_most_pressing_patient_reminder_first():
    names = [kind.name for kind in KINDS]
    assert names == ["session", "measurement", "heel_rise", "questionnaire", "check_in", "red_flag", "digest"]
    assert len(set(names)) == len(names)


def test_her_reminder_time_must_be_outside_quiet_hours():
    from django.core.exceptions import ValidationError

    settings = ReminderSettings(user=PatientFactory(), remind_at=time(21, 30))
    with pytest.raises(ValidationError, match="remind_at"):
        settings.full_clean()
