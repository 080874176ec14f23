"""Queries that feed the exercise-session pages and the CSV export."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from tracker import metrics
from tracker.models import Exercise, ExerciseEntry, ExerciseSession, Prescription, User

DOSAGE_FIELDS = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg")


def exercises() -> list[Exercise]:
    return list(Exercise.objects.all())


def _entries_with_exercise() -> Prefetch:
    return Prefetch("entries", queryset=ExerciseEntry.objects.select_related("exercise"))


def sessions_for_list(user: User) -> QuerySet[ExerciseSession]:
    """Her sessions, newest first, with entries and exercises prefetched and the highest pain during."""
    return (
        ExerciseSession.objects.for_patient(user)
        .annotate(max_pain_during=Max("entries__pain_during"))
        .prefetch_related(_entries_with_exercise())
        .order_by("-performed_at", "-id")  # aggregation drops Meta.ordering
    )


def exercise_names(session: ExerciseSession) -> list[str]:
    """Names of the exercises in a session, each once, in logging order (uses the prefetch)."""
    return list(dict.fromkeys(entry.exercise.name for entry in session.entries.all()))


def session_with_entries(user: User) -> QuerySet[ExerciseSession]:
    return ExerciseSession.objects.for_patient(user).prefetch_related(_entries_with_exercise())


def _dosage(source) -> dict:
    return {
        field: (source.exercise_id if field == "exercise" else getattr(source, field))
        for field in DOSAGE_FIELDS
    }


def prescribed_entries(user: User, day: datetime.date) -> list[dict]:
    """Initial entry data: one per prescription active on ``day``."""
    prescriptions = Prescription.objects.for_patient(user).active_on(day).order_by("exercise__name", "id")
    return [_dosage(prescription) for prescription in prescriptions]


def has_programme(user: User, day: datetime.date) -> bool:
    """Whether a prescription is active on ``day``: the session form then starts from her programme."""
    return Prescription.objects.for_patient(user).active_on(day).exists()


def has_sessions(user: User) -> bool:
    return ExerciseSession.objects.for_patient(user).exists()


def last_session(user: User) -> ExerciseSession | None:
    return session_with_entries(user).first()


def repeated_entries(session: ExerciseSession) -> list[dict]:
    """Initial entry data copying the dosage (not the pain) of a previous session."""
    return [_dosage(entry) for entry in session.entries.all()]


@dataclass(frozen=True)
class EntryRow:
    entry: ExerciseEntry
    total_reps: int  # sets x reps (0 for exercises measured in time)
    load_volume: float  # sets x reps x load kg


def entry_rows(session: ExerciseSession) -> list[EntryRow]:
    rows = []
    for entry in session.entries.all():
        total_reps, load_volume = metrics.training_volume(
            sets=entry.sets, reps=entry.reps, load_kg=entry.load_kg
        )
        rows.append(EntryRow(entry=entry, total_reps=total_reps, load_volume=load_volume))
    return rows


def pain_during_max(entries) -> int | None:
    pains = [entry.pain_during for entry in entries if entry.pain_during is not None]
    return max(pains, default=None)


CSV_HEADER = (
    "date", "time", "exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg",
    "pain_during", "pain_before", "pain_after", "rpe", "duration_minutes", "session_notes",
)


def export_rows(user: User):
    """One CSV row per exercise entry, oldest first, in local time."""
    entries = (
        ExerciseEntry.objects.filter(session__patient=user)
        .select_related("session", "exercise")
        .order_by("session__performed_at", "session_id", "id")
    )
    for entry in entries.iterator(chunk_size=500):
        session = entry.session
        performed = timezone.localtime(session.performed_at)
        yield (
            performed.date().isoformat(),
            performed.strftime("%H:%M"),
            entry.exercise.name,
            entry.side,
            entry.sets,
            entry.reps,
            entry.hold_seconds,
            entry.minutes,
            entry.load_kg,
            entry.pain_during,
            session.pain_before,
            session.pain_after,
            session.rpe,
            session.duration_minutes,
            session.notes,
        )
