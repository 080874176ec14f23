"""The e-mail notice rule: what stayed unread by the other side for 15 minutes, claimed once, and
an e-mail with a link and no message text, handed to the task queue (`tasks.message_notices`)."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import MessageFactory, PatientFactory, PhysioFactory, PhysioNoteFactory
from tracker.models import Message, PhysioNote
from tracker.selectors.messages import NOTICE_AFTER_MINUTES, messages_to_notify
from tracker.services.messages import claim_notice, notice_email, send_notices

NOW = timezone.now()


def ago(minutes: float) -> datetime.datetime:
    return NOW - datetime.timedelta(minutes=minutes)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="priya", first_name="Priya", email="priya@clinic.example")


@pytest.fixture
def anna(physio):
    anna = PatientFactory(username="anna", first_name="Anna", last_name="Runner", email="anna@example.com")
    anna.profile.physio = physio
    anna.profile.save()
    return anna


def test_a_message_unread_for_15_minutes_notifies_her_physio(anna, physio):
    old = MessageFactory(patient=anna, created_at=ago(NOTICE_AFTER_MINUTES))
    MessageFactory(patient=anna, created_at=ago(NOTICE_AFTER_MINUTES - 1))  # too recent
    MessageFactory(patient=anna, created_at=ago(60), read_at=ago(30))  # read
    MessageFactory(patient=anna, created_at=ago(60), notified_at=ago(40))  # announced already
    [notice] = messages_to_notify(NOW)
    assert (notice.recipient_id, notice.recipient_email) == (physio.pk, physio.email)
    assert notice.to_patient is False
    assert (notice.patient_id, notice.message_ids, notice.note_ids) == (anna.pk, (old.pk,), ())


def test_her_physios_unread_notes_notify_her_once_per_conversation(anna, physio):
    first = PhysioNoteFactory(patient=anna, author=physio, created_at=ago(40))
    second = PhysioNoteFactory(patient=anna, author=physio, created_at=ago(20))
    PhysioNoteFactory(patient=anna, author=physio, created_at=ago(40), visible_to_patient=False)  # private
    [notice] = messages_to_notify(NOW)
    assert (notice.recipient_id, notice.to_patient, notice.note_ids) == (anna.pk, True, (first.pk, second.pk))


def test_nobody_to_tell(physio, db):
    alone = PatientFactory(email="alone@example.com")
    MessageFactory(patient=alone, created_at=ago(60))  # no physio assigned
    no_email = PatientFactory(email="")
    PhysioNoteFactory(patient=no_email, created_at=ago(60))
    gone = PatientFactory(is_active=False)
    PhysioNoteFactory(patient=gone, created_at=ago(60))
    assert messages_to_notify(NOW) == []


def test_a_notice_is_claimed_once(anna):
    MessageFactory(patient=anna, created_at=ago(30))
    [notice] = messages_to_notify(NOW)
    assert claim_notice(notice, NOW) is True
    assert claim_notice(notice, NOW) is False  # a second worker sends nothing
    assert Message.objects.get().notified_at == NOW
    assert messages_to_notify(NOW) == []


def test_read_before_the_claim_sends_nothing(anna, physio):
    note = PhysioNoteFactory(patient=anna, author=physio, created_at=ago(30))
    [notice] = messages_to_notify(NOW)
    PhysioNote.objects.filter(pk=note.pk).update(read_at=NOW)
    assert claim_notice(notice, NOW) is False
    assert PhysioNote.objects.get().notified_at is None


def test_the_email_to_the_physio_has_a_link_and_nothing_else(anna):
    MessageFactory(patient=anna, text="My calf is swollen and red", created_at=ago(30))
    [notice] = messages_to_notify(NOW)
    email = notice_email(notice, base_url="https://rehab.example.org/")
    assert email.to == "priya@clinic.example"
    assert email.subject == "You have a new message"
    link = f"https://rehab.example.org/admin/tracker/patientprofile/{anna.profile.pk}/change/#conversation"
    assert link in email.text
    assert email.text.startswith("Hello Priya,")
    for secret in ("swollen", "red", "Anna", "Runner", "calf"):
        assert secret not in email.subject + email.text, secret


def test_the_email_to_the_patient_links_to_her_messages(anna, physio):
    PhysioNoteFactory(patient=anna, author=physio, text="Stop the raises: see your GP", created_at=ago(30))
    [notice] = messages_to_notify(NOW)
    email = notice_email(notice, base_url="https://rehab.example.org")
    assert email.to == "anna@example.com"
    assert "https://rehab.example.org/messages/" in email.text
    assert "You have a new message from your physiotherapist" in email.text
    assert "GP" not in email.text and "raises" not in email.text


def test_send_notices_hands_each_claimed_email_over_once(anna, physio):
    MessageFactory(patient=anna, created_at=ago(30))
    PhysioNoteFactory(patient=anna, author=physio, text="See you Tuesday", created_at=ago(30))
    queued = []
    assert send_notices(NOW, base_url="https://rehab.example.org", dispatch=queued.append) == 2
    assert sorted(email.to for email in queued) == ["anna@example.com", "priya@clinic.example"]
    assert send_notices(NOW, base_url="https://rehab.example.org", dispatch=queued.append) == 0
    assert len(queued) == 2
