"""Writing to each other: a patient's message, a physio's note, read receipts, and the e-mail
notice for what stayed unread (claimed here, sent by the task queue).

The e-mail never carries the message: only "you have a new message" and a link (health data stays
behind the login).
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from tracker.models import Message, PatientProfile, PhysioNote, User
from tracker.selectors.messages import MessageNotice, messages_to_notify
from tracker.services.mail import Email


def send_message(*, patient: User, text: str, reply_to: PhysioNote | None = None) -> Message:
    """Her message to her physio (validated by the model: length, and a reply only to her own
    visible notes)."""
    message = Message(patient=patient, text=text, reply_to=reply_to)
    message.full_clean()
    message.save()
    return message


def write_note(*, author: User, patient: User, text: str, private: bool = False) -> PhysioNote:
    """A physio's note from the review page: sent to the patient unless private; either way it
    marks the patient reviewed (the caseload's "new data since your review")."""
    note = PhysioNote(
        patient=patient, author=author, text=text, visible_to_patient=not private, is_review=True
    )
    note.full_clean()
    note.save()
    return note


def mark_notes_read(patient: User, *, until: datetime.datetime | None = None) -> int:
    """The patient has seen her physio's notes shared up to `until` (default: now)."""
    now = timezone.now()
    notes = list(
        PhysioNote.objects.filter(
            patient=patient, visible_to_patient=True, read_at__isnull=True, created_at__lte=until or now
        )
    )
    for note in notes:
        note.read_at = now
    bulk_update_with_history(notes, PhysioNote, ["read_at"], default_user=patient)
    return len(notes)


def mark_messages_read(patient: User, *, reader: User, until: datetime.datetime | None = None) -> int:
    """Her physio (`reader`) has seen the patient's messages sent up to `until` (default: now)."""
    now = timezone.now()
    messages = list(
        Message.objects.filter(patient=patient, read_at__isnull=True, created_at__lte=until or now)
    )
    for message in messages:
        message.read_at, message.read_by = now, reader
    bulk_update_with_history(messages, Message, ["read_at", "read_by"], default_user=reader)
    return len(messages)


# --- the e-mail notice (the task queue calls these) ---------------------------------------------------


@transaction.atomic
def claim_notice(notice: MessageNotice, now: datetime.datetime) -> bool:
    """Mark the notice's notes and messages as announced; False when there is nothing left to
    announce (read meanwhile, or claimed by another worker): then send nothing."""
    claimed = PhysioNote.objects.filter(
        pk__in=notice.note_ids, notified_at__isnull=True, read_at__isnull=True
    ).update(notified_at=now)
    claimed += Message.objects.filter(
        pk__in=notice.message_ids, notified_at__isnull=True, read_at__isnull=True
    ).update(notified_at=now)
    return claimed > 0


def notice_email(notice: MessageNotice, *, base_url: str) -> Email:
    """The e-mail for a notice: who it goes to, "you have a new message" and a link; no message
    text, no name of a patient, nothing clinical. `base_url` e.g. "https://rehab.example.org"."""
    if notice.to_patient:
        path = reverse("message_list")
        where = "from your physiotherapist"
    else:
        profile_id = PatientProfile.objects.values_list("pk", flat=True).get(user_id=notice.patient_id)
        path = reverse("admin:tracker_patientprofile_change", args=[profile_id]) + "#conversation"
        where = "from a patient"
    greeting = f"Hello {notice.recipient_first_name}," if notice.recipient_first_name else "Hello,"
    body = (
        f"{greeting}\n\n"
        f"You have a new message {where} in Calf Rehab Tracker.\n\n"
        f"Read it after logging in: {base_url.rstrip('/')}{path}\n\n"
        "For your privacy, this e-mail never contains the message itself.\n"
    )
    return Email(to=notice.recipient_email, subject="You have a new message", text=body)


def send_notices(now: datetime.datetime, *, base_url: str, dispatch: Callable[[Email], None]) -> int:
    """Claim every notice due at `now` and hand its e-mail to `dispatch` (the task queue's
    send_email_later: sent with retries). A notice another worker claimed first is skipped."""
    sent = 0
    for notice in messages_to_notify(now):
        if claim_notice(notice, now):
            dispatch(notice_email(notice, base_url=base_url))
            sent += 1
    return sent
