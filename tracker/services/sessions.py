"""Saving an exercise session with its entries: all of it or nothing.

The one write path for sessions: the web form and the API both call `save_session`, and both check
the number of exercises with `check_entry_count` while validating.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import Exercise, ExerciseEntry, ExerciseSession, User
from tracker.services.programmes import due_steps_apply

MAX_ENTRIES = 30


def check_entry_count(count: int) -> None:
    """A session holds 1 to MAX_ENTRIES exercises.

    Callers check the count of what they were sent before validating any entry, so that a request
    with thousands of entries costs no more than one with a few.
    """
    if count < 1:
        raise ValidationError("Log at least one exercise.", code="no_entries")
    if count > MAX_ENTRIES:
        raise ValidationError(f"Log at most {MAX_ENTRIES} exercises in one session.", code="too_many_entries")


def exercises_by_id(ids: Iterable) -> dict[int, Exercise]:
    """The exercises of one session in one query: id -> exercise (unknown or malformed ids left out)."""
    wanted = set()
    for value in ids:
        if isinstance(value, bool):
            continue
        try:
            wanted.add(int(value))
        except (TypeError, ValueError, OverflowError):
            continue
    return Exercise.objects.in_bulk(wanted) if wanted else {}


@transaction.atomic
def save_session(
    *,
    patient: User,
    session: ExerciseSession,
    entries: Iterable[ExerciseEntry],
    removed: Iterable[ExerciseEntry] = (),
) -> ExerciseSession:
    """Save a validated session, its new or changed `entries`, and delete the `removed` ones.

    If anything fails, including a session left with no exercise or too many, nothing is saved.
    """
    session.patient = patient
    session.save()
    for entry in removed:
        entry.delete()  # one by one, so that the audit history records each
    for entry in entries:
        entry.session = session
        entry.save()
    check_entry_count(session.entries.count())
    due_steps_apply(patient=patient, today=timezone.localdate())  # her new pain may allow a step
    return session
