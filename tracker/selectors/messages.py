"""The conversation between a patient and her physiotherapist, as both sides see it.

A conversation merges the physio's notes visible to the patient (PhysioNote) and the patient's
messages (Message): see `tracker.models.messages`. Private notes are only ever added for the clinic.
`messages_to_notify` is the e-mail rule: what stayed unread by the other side for
NOTICE_AFTER_MINUTES (the task queue sends it; `services.messages` claims and words it).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from tracker.models import Message, PhysioNote, User

NOTICE_AFTER_MINUTES = 15
CONVERSATION_LIMIT = 100  # the newest items shown on a page
LATEST_SHOWN = 5  # shown open above the form; older ones are folded


@dataclass(frozen=True)
class ConversationItem:
    kind: str  # "note" (from the physio) or "message" (from the patient)
    pk: int
    from_physio: bool
    author_name: str
    text: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None  # when the other side read it
    read_by_name: str  # who read it ("" while unread)
    private: bool  # a private note: the clinic's only, never shown to the patient
    is_review: bool  # the note marked a review
    reply_to_id: int | None  # a message answering a note: that note's id
    reply_to_created_at: datetime.datetime | None


def _name(user: User | None, fallback: str) -> str:
    return user.display_name() if user is not None else fallback


def note_item(note: PhysioNote, patient_name: str) -> ConversationItem:
    shared = note.visible_to_patient
    return ConversationItem(
        kind="note",
        pk=note.pk,
        from_physio=True,
        author_name=_name(note.author, "Your physiotherapist"),
        text=note.text,
        created_at=note.created_at,
        read_at=note.read_at if shared else None,
        read_by_name=patient_name if shared and note.read_at else "",
        private=not shared,
        is_review=note.is_review,
        reply_to_id=None,
        reply_to_created_at=None,
    )


def message_item(message: Message, patient_name: str) -> ConversationItem:
    return ConversationItem(
        kind="message",
        pk=message.pk,
        from_physio=False,
        author_name=patient_name,
        text=message.text,
        created_at=message.created_at,
        read_at=message.read_at,
        read_by_name=_name(message.read_by, "your physiotherapist") if message.read_at else "",
        private=False,
        is_review=False,
        reply_to_id=message.reply_to_id,
        reply_to_created_at=message.reply_to.created_at if message.reply_to else None,
    )


def conversation(
    patient: User, *, include_private: bool = False, limit: int | None = CONVERSATION_LIMIT
) -> list[ConversationItem]:
    """Her conversation, oldest first (the newest `limit` items; None: all). Two queries."""
    notes = PhysioNote.objects.filter(patient=patient).select_related("author")
    if not include_private:
        notes = notes.filter(visible_to_patient=True)
    messages = Message.objects.filter(patient=patient).select_related("read_by", "reply_to")
    name = patient.display_name()
    items = [note_item(note, name) for note in notes.order_by("-created_at", "-id")[:limit]]
    items += [message_item(message, name) for message in messages.order_by("-created_at", "-id")[:limit]]
    items.sort(key=lambda item: (item.created_at, item.kind, item.pk))
    return items if limit is None else items[-limit:]


def split_latest(items: list[ConversationItem], count: int = LATEST_SHOWN) -> tuple[list, list]:
    """(earlier items, the latest `count`), both oldest first: pages fold the earlier ones."""
    return items[:-count] if count else items, items[-count:] if count else []


def unread_messages(patient: User) -> QuerySet[Message]:
    """Her messages her physio has not read yet, oldest first."""
    return Message.objects.filter(patient=patient, read_at__isnull=True).order_by("created_at", "id")


def unread_messages_of(patient_ids) -> dict[int, list[Message]]:
    """Unread messages of several patients, oldest first, by patient id (one query)."""
    found: dict[int, list[Message]] = {}
    rows = Message.objects.filter(patient_id__in=list(patient_ids), read_at__isnull=True)
    for message in rows.order_by("created_at", "id"):
        found.setdefault(message.patient_id, []).append(message)
    return found


def unanswered_messages_of(patient_ids) -> dict[int, Message]:
    """By patient id, her latest message when her physio has read it and shared no note since: read
    on the review page and not answered (one query)."""
    later_message = Message.objects.filter(patient=OuterRef("patient"), created_at__gt=OuterRef("created_at"))
    later_note = PhysioNote.objects.filter(
        patient=OuterRef("patient"), visible_to_patient=True, created_at__gte=OuterRef("created_at")
    )
    rows = (
        Message.objects.filter(patient_id__in=list(patient_ids), read_at__isnull=False)
        .exclude(Exists(later_message))
        .exclude(Exists(later_note))
        .order_by("created_at", "id")
    )
    return {message.patient_id: message for message in rows}  # two at the same moment: the last kept


def shareable_note(patient: User, note_id) -> PhysioNote | None:
    """One of her visible notes (to reply to), or None."""
    try:
        note_id = int(note_id)
    except (TypeError, ValueError):
        return None
    return PhysioNote.objects.filter(patient=patient, visible_to_patient=True, pk=note_id).first()


# --- the e-mail notice -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageNotice:
    """One e-mail to send: what `recipient` has not read in `patient`'s conversation."""

    recipient_id: int
    recipient_email: str
    recipient_first_name: str
    patient_id: int
    to_patient: bool  # True: her physio's notes wait for the patient; False: her messages wait for the physio
    note_ids: tuple[int, ...] = ()
    message_ids: tuple[int, ...] = ()


def messages_to_notify(now: datetime.datetime) -> list[MessageNotice]:
    """Everything unread by the other side for NOTICE_AFTER_MINUTES or more, never announced yet,
    as one notice per recipient and conversation. Two queries.

    A patient is told about her physio's visible notes; a physio about her patients' messages
    (only while the patient is assigned to her). Recipients without an e-mail address or with an
    inactive account are left out. Claim each notice (`services.messages.claim_notice`) before
    sending it, so that two workers never send the same one.
    """
    cutoff = now - datetime.timedelta(minutes=NOTICE_AFTER_MINUTES)
    notices: dict[tuple[int, int], dict] = {}

    notes = (
        PhysioNote.objects.filter(
            visible_to_patient=True, read_at__isnull=True, notified_at__isnull=True, created_at__lte=cutoff
        )
        .filter(patient__is_active=True)
        .exclude(patient__email="")
        .values_list("pk", "patient_id", "patient__email", "patient__first_name")
        .order_by("patient_id", "created_at", "pk")
    )
    for pk, patient_id, email, first_name in notes:
        notice = notices.setdefault(
            (patient_id, patient_id),
            {"recipient_id": patient_id, "recipient_email": email, "recipient_first_name": first_name,
             "patient_id": patient_id, "to_patient": True, "note_ids": [], "message_ids": []},
        )
        notice["note_ids"].append(pk)

    messages = (
        Message.objects.filter(read_at__isnull=True, notified_at__isnull=True, created_at__lte=cutoff)
        .filter(patient__profile__physio__isnull=False, patient__profile__physio__is_active=True)
        .exclude(patient__profile__physio__email="")
        .values_list(
            "pk", "patient_id", "patient__profile__physio_id", "patient__profile__physio__email",
            "patient__profile__physio__first_name",
        )
        .order_by("patient_id", "created_at", "pk")
    )
    for pk, patient_id, physio_id, email, first_name in messages:
        notice = notices.setdefault(
            (physio_id, patient_id),
            {"recipient_id": physio_id, "recipient_email": email, "recipient_first_name": first_name,
             "patient_id": patient_id, "to_patient": False, "note_ids": [], "message_ids": []},
        )
        notice["message_ids"].append(pk)

    return [
        MessageNotice(**{**fields, "note_ids": tuple(fields["note_ids"]),
                         "message_ids": tuple(fields["message_ids"])})
        for fields in notices.values()
    ]
