"""Deleted clinical records that a superuser can still bring back (from the audit history).

`services.restore` brings one back; the admin's "Deleted records" page lists them.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Subquery, Value
from django.utils.text import capfirst

from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors.common import follow_path

# The URL name of each restorable kind -> (model, path from a (historical) row to the patient).
RESTORABLE = {
    "girthmeasurement": (GirthMeasurement, "patient"),
    "heelrisetest": (HeelRiseTest, "patient"),
    "exercisesession": (ExerciseSession, "patient"),
    "exerciseentry": (ExerciseEntry, "session__patient"),
    "symptomlog": (SymptomLog, "patient"),
    "prescription": (Prescription, "patient"),
    "physionote": (PhysioNote, "patient"),
    "patientprofile": (PatientProfile, "user"),
}
# Deleting a session deletes its entries (CASCADE) a moment before the session itself; their history
# rows are that close together. Entries removed earlier (editing the session) are not brought back.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


def _still_deleted(model, rows):
    """The rows that are an object's latest version and whose object has no live row."""
    history = model.history.model
    live = model._default_manager.filter(pk=OuterRef("id"))
    later = history.objects.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
    return rows.filter(history_type="-").exclude(Exists(live)).exclude(Exists(later))


def deleted_records(kind: str):
    """Deletion rows of records that are still deleted and could come back.

    Entries whose session is deleted too come back with their session; records of a closed
    account (the patient is gone) are not offered.
    """
    model, owner_path = RESTORABLE[kind]
    rows = _still_deleted(model, model.history.model.objects.all())
    if model is ExerciseEntry:
        return rows.filter(Exists(ExerciseSession.objects.filter(pk=OuterRef("session_id"))))
    return rows.filter(Exists(User.objects.filter(pk=OuterRef(f"{owner_path}_id"))))


def entries_deleted_with(session_id, deleted_at):
    """Entry rows deleted with a session, given its id and deletion time (values, or OuterRefs)."""
    since = deleted_at - CASCADE_WINDOW
    if hasattr(since, "resolve_expression"):
        since = ExpressionWrapper(since, output_field=models.DateTimeField())
    rows = ExerciseEntry.history.model.objects.filter(
        session_id=session_id, history_date__lte=deleted_at, history_date__gte=since
    )
    return _still_deleted(ExerciseEntry, rows)


def deleted_index(*, kind: str | None = None, patient_id: int | None = None):
    """(kind, history_id, deleted at) of every deleted record, newest first, as one UNION query."""
    parts = []
    for name, (_model, owner_path) in RESTORABLE.items():
        if kind in RESTORABLE and name != kind:
            continue
        rows = deleted_records(name)
        if patient_id is not None:
            rows = rows.filter(**{owner_path: patient_id})
        parts.append(
            rows.order_by()
            .annotate(kind=Value(name, output_field=models.CharField()))
            .values_list("kind", "history_id", "history_date")
        )
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


@dataclass
class DeletedRecord:
    kind: str
    label: str
    description: str
    patient: User | None
    deleted_at: datetime.datetime
    deleted_by: User | None
    history_id: int
    record_id: int
    entries: int = 0
    history_url: str | None = None  # the admin fills this in where the record has a history page


def record_label(instance) -> str:
    """str(instance), or its id when the description needs a related row that is gone."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"#{instance.pk}"


def _as_instance(row):
    """The record as it was in `row`, with the related objects fetched with the row (no query each)."""
    instance = row.instance
    for field in instance._meta.concrete_fields:
        if field.is_relation:
            row_field = row._meta.get_field(field.name)
            if row_field.is_cached(row):
                field.set_cached_value(instance, row_field.get_cached_value(row))
    return instance


def describe_deleted(page_rows) -> list[DeletedRecord]:
    """The page's rows in full: one query per kind on the page, whatever the number of rows."""
    ids_by_kind: dict[str, list[int]] = {}
    for kind, history_id, _date in page_rows:
        ids_by_kind.setdefault(kind, []).append(history_id)
    described = {}
    for kind, ids in ids_by_kind.items():
        model, owner_path = RESTORABLE[kind]
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model.history.model.objects.filter(history_id__in=ids).select_related(
            "history_user", owner_path, *related
        )
        if model is ExerciseSession:
            rows = rows.annotate(
                entry_count=Subquery(
                    entries_deleted_with(OuterRef("id"), OuterRef("history_date"))
                    .values("session_id").annotate(n=Count("history_id")).values("n")
                )
            )
        for row in rows:
            described[(kind, row.history_id)] = DeletedRecord(
                kind=kind,
                label=capfirst(model._meta.verbose_name),
                description=record_label(_as_instance(row)),
                patient=follow_path(row, owner_path),
                deleted_at=row.history_date,
                deleted_by=row.history_user,
                history_id=row.history_id,
                record_id=row.id,
                entries=getattr(row, "entry_count", None) or 0,
            )
    return [described[(kind, history_id)] for kind, history_id, _date in page_rows]
