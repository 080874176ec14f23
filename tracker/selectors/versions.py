"""The data stamp of a patient: changes whenever anything her charts or summary show changes.

Each chart has a stamp of its own, of just the records it draws: its ETag and its cache key
(`tracker.charts.cache`); the dashboard's cache key (`selectors.cached`) is the stamp of everything.
So an unchanged chart or headline is never worked out twice; `cached_data_versions` keeps the stamps
themselves in the cache between writes.

It is one query on every page view, so it is plain SQL written once (the same statement through the
ORM cost 7 ms of query building per call for 1.5 ms of database work): per kind of record, the
latest change and the number of rows, and the profile fields the numbers depend on.
"""

import functools
import hashlib
import logging

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from tracker.models import (
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
    PatientProfile,
    PhysioNote,
    Prescription,
    QuestionnaireAssignment,
    QuestionnaireResponse,
    SymptomLog,
    TriageSeen,
    User,
)


def _stamp(table: str, latest: str, where: str = "patient_id = %s", join: str = "") -> str:
    """'<latest>|<row count>' of a patient's rows ('-' without any)."""
    return (
        f"COALESCE((SELECT CAST(MAX({latest}) AS TEXT) || '|' || CAST(COUNT(*) AS TEXT) "
        f"FROM {table} {join} WHERE {where}), '-')"
    )


# The parts of the stamp, in the order of _sql()'s columns.
PARTS = ("girth", "heel_rise", "sessions", "entries", "symptoms", "prescriptions", "prescription_edits",
         "profile")
# The records each chart reads (tracker.charts.data and the series it draws), besides her profile and
# the date, which every chart reads: a chart's stamp changes only with them, so a check-in leaves her
# girth chart in the cache. tests/selectors/test_data_versions.py checks each against the drawing.
CHART_PARTS = {
    "girth": ("girth",),
    "symmetry": ("girth", "heel_rise"),
    "heel-rise": ("heel_rise",),
    "volume": ("sessions", "entries", "prescriptions", "prescription_edits"),
    "pain": ("sessions", "entries", "symptoms"),
    # A swelling measurement or a ticked warning sign pauses the programme, which the chart shows.
    "adherence": ("sessions", "entries", "prescriptions", "prescription_edits", "girth", "symptoms"),
}
ALL = "all"  # the key of the stamp of everything (the dashboard's)


@functools.cache
def _sql() -> str:
    entries, sessions = ExerciseEntry._meta.db_table, ExerciseSession._meta.db_table
    parts = [
        _stamp(GirthMeasurement._meta.db_table, "updated_at"),
        _stamp(HeelRiseTest._meta.db_table, "updated_at"),
        _stamp(sessions, "updated_at"),
        # Entries have no timestamps: their newest id and count (an edit saves the session too).
        _stamp(entries, "e.id", where="s.patient_id = %s",
               join=f"e JOIN {sessions} s ON e.session_id = s.id"),
        _stamp(SymptomLog._meta.db_table, "updated_at"),
        _stamp(Prescription._meta.db_table, "created_at"),
        # A physio's edit of a prescription (dosage, dates, paused) leaves a history row.
        _stamp(Prescription.history.model._meta.db_table, "history_id"),
        f"(SELECT affected_side || '|' || unit || '|' || CAST(target_lsi AS TEXT) || '|' || "
        f"COALESCE(sex, '') FROM {PatientProfile._meta.db_table} WHERE user_id = %s)",
    ]
    return "SELECT " + ", ".join(parts)


def _digest(values) -> str:
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def data_versions(user) -> dict[str, str]:
    """Her stamps, one query: ALL (any of her records, her profile or the date changed) and one per
    chart (CHART_PARTS)."""
    sql = _sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * sql.count("%s"))
        row = dict(zip(PARTS, cursor.fetchone(), strict=True))
    today = timezone.localdate().isoformat()
    stamps = {ALL: _digest((user.pk, tuple(row.values()), today))}
    for chart, parts in CHART_PARTS.items():
        stamps[chart] = _digest((user.pk, chart, tuple(row[part] for part in (*parts, "profile")), today))
    return stamps


def data_version(user) -> str:
    """Changes whenever any of the patient's records, her profile or the date changes; one query."""
    return data_versions(user)[ALL]


# --- The stamp of a physio's caseload -------------------------------------------------------------
# The triage home and the caseload table are kept in the cache under this stamp
# (tracker.admin.page_cache). It is computed on every view, so a change that should show is never
# missed: per kind of record of her patients, the latest change and the number of rows, and the
# number of history rows (every change made through the site, the admin, the API and the imports
# leaves one, deletions and "read" marks included).

_PATIENTS = "SELECT user_id FROM caseload"  # her patients' ids: the statement's WITH clause


def _history(model) -> str:
    return model.history.model._meta.db_table


@functools.cache
def _caseload_parts() -> tuple[str, ...]:
    def of_patients(table: str, latest: str) -> str:
        return _stamp(table, latest, where=f"patient_id IN ({_PATIENTS})")

    parts = []
    for model in (GirthMeasurement, HeelRiseTest, ExerciseSession, SymptomLog, QuestionnaireResponse):
        parts += [of_patients(model._meta.db_table, "updated_at"), of_patients(_history(model), "history_id")]
    parts += [
        # Entries are edited with their session (which is saved, and counted above).
        of_patients(Prescription._meta.db_table, "created_at"),
        of_patients(_history(Prescription), "history_id"),
        of_patients(_history(QuestionnaireAssignment), "history_id"),
        of_patients(Message._meta.db_table, "id"),
        of_patients(_history(Message), "history_id"),  # read marks too
        of_patients(PhysioNote._meta.db_table, "id"),
        of_patients(_history(PhysioNote), "history_id"),
        # Her own "seen" marks (the only part that depends on who looks).
        _stamp(TriageSeen._meta.db_table, "seen_at", where=f"physio_id = %s AND patient_id IN ({_PATIENTS})"),
        # Exercise names appear in the reasons' words.
        _stamp(_history(Exercise), "history_id", where="1 = 1"),
    ]
    return tuple(parts)


def caseload_version(profiles, *, reviewer: User) -> str:
    """Changes whenever anything the triage home or the caseload shows about these profiles (a queryset)
    changes for `reviewer`: their records, messages, notes, questionnaires, her "seen" marks, the
    profiles and names themselves (read whole), the date and the time zone. Two queries."""
    people_sql, people_params = profiles.order_by("user_id").values_list(
        *(f.attname for f in PatientProfile._meta.concrete_fields),
        "user__username", "user__first_name", "user__last_name", "user__is_active", "user__date_joined",
    ).query.sql_with_params()
    patients_sql, params = profiles.values("user_id").order_by().query.sql_with_params()
    # Her patients selected once (a common table expression), then every kind of record counted.
    sql = f"WITH caseload AS ({patients_sql}) SELECT {', '.join(_caseload_parts())}"
    params = [*params, reviewer.pk]  # the one other parameter: in her "seen" marks' part
    # Plain cursors: the rows are only hashed (the ORM's conversions cost more than the query).
    with connection.cursor() as cursor:
        cursor.execute(people_sql, people_params)
        people = cursor.fetchall()
        cursor.execute(sql, params)
        records = cursor.fetchone()
    today = timezone.localdate().isoformat()
    return hashlib.sha256(
        repr((people, records, reviewer.pk, today, timezone.get_current_timezone_name())).encode()
    ).hexdigest()[:32]


# --- The stamp kept in the cache ------------------------------------------------------------------
# data_version reads every one of her rows (10 ms at 3 years of data): too dear for a chart served
# from the cache. The stamp is kept in Django's cache for STAMP_SECONDS and forgotten as soon as a
# write to her records commits (tracker.tasks' receivers; the CSV import calls forget_data_version
# itself). A write that neither sends a signal nor calls it (a raw SQL update, a backup restored)
# shows within STAMP_SECONDS; so does one committed while a reader was computing the old stamp.

STAMP_SECONDS = 300
logger = logging.getLogger("tracker.cache")


def _stamp_key(user_id: int) -> str:
    return f"data-versions:{user_id}:{timezone.localdate().isoformat()}"


def cached_data_versions(user) -> dict[str, str]:
    """data_versions(user), from the cache when a recent copy is there; the cache down: computed."""
    key = _stamp_key(user.pk)
    try:
        stamps = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable: the data stamp of user %s is computed", user.pk, exc_info=True)
        return data_versions(user)
    if stamps is None:
        stamps = data_versions(user)
        try:
            cache.set(key, stamps, STAMP_SECONDS)
        except Exception:
            logger.warning("Cache unreachable: the data stamp of user %s not kept", user.pk, exc_info=True)
    return stamps


def forget_data_version(user_id: int) -> None:
    """Her records changed: the next reader computes the stamp again. Never raises."""
    try:
        cache.delete(_stamp_key(user_id))
    except Exception:
        logger.warning("Cache unreachable: the data stamp of user %s not forgotten", user_id, exc_info=True)
