"""A patient's own account: export all her data, or delete it all.

The CSV row builders live here so that the per-type CSV downloads and the zip export produce the
same files byte for byte.
"""

import datetime
import io
import json
import operator
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import reduce
from typing import NamedTuple

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from tracker import csv_io, imports
from tracker.forms.symptoms import tender_point_codes
from tracker.models import (
    ApiToken,
    ClosedAccount,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors import heel_rise as heel_rise_selectors
from tracker.selectors import measurements as measurement_selectors
from tracker.selectors import sessions as session_selectors
from tracker.selectors import symptoms as symptom_selectors

# --- CSV exports (shared with the per-type download views) ---------------------------------------


class CsvExport(NamedTuple):
    filename: str
    header: Sequence[str]
    rows: Iterable[Sequence]


HEEL_RISE_HEADER = ("date", "reps_left", "reps_right", "lsi_percent", "incline_degrees", "notes")
SYMPTOM_HEADER = (
    "date",
    "pain_at_rest",
    "pain_next_morning",
    "night_cramps",
    "stiffness",
    "limping",
    "tender_points",
    "red_flags",
    "notes",
)


def measurement_csv(user: User) -> CsvExport:
    affected_side = user.profile.affected_side
    rows = (
        _measurement_row(m, affected_side)
        for m in measurement_selectors.export_rows(user).iterator()
    )
    return CsvExport("measurements.csv", imports.CSV_COLUMNS, rows)


def _measurement_row(m: GirthMeasurement, affected_side: str) -> list:
    symmetry = m.symmetry(affected_side)
    return [
        m.date.isoformat(),
        m.site,
        m.left_cm,
        m.right_cm,
        imports.READINGS_SEPARATOR.join(str(r) for r in m.left_readings),
        imports.READINGS_SEPARATOR.join(str(r) for r in m.right_readings),
        "" if symmetry.lsi is None else f"{symmetry.lsi:.1f}",
        f"{symmetry.difference:+.2f}",
        m.measured_by,
        m.notes,
    ]


def heel_rise_csv(user: User) -> CsvExport:
    affected_side = user.profile.affected_side
    rows = (
        (
            test.date.isoformat(),
            test.reps_left,
            test.reps_right,
            test.symmetry(affected_side).lsi,
            test.incline,
            test.notes,
        )
        for test in heel_rise_selectors.tests_for_export(user)
    )
    return CsvExport("heel-rise.csv", HEEL_RISE_HEADER, rows)


def session_csv(user: User) -> CsvExport:
    return CsvExport(
        "exercise-sessions.csv", session_selectors.CSV_HEADER, session_selectors.export_rows(user)
    )


def symptom_csv(user: User) -> CsvExport:
    rows = (
        [
            log.date.isoformat(),
            log.pain_at_rest,
            log.pain_next_morning,
            log.night_cramps,
            log.stiffness,
            "yes" if log.limping else "no",
            ";".join(tender_point_codes(log)),
            ";".join(log.red_flag_codes()),
            log.notes,
        ]
        for log in symptom_selectors.symptom_logs_for_export(user)
    )
    return CsvExport("symptoms.csv", SYMPTOM_HEADER, rows)


CSV_EXPORTS = (measurement_csv, heel_rise_csv, session_csv, symptom_csv)


def csv_bytes(export: CsvExport) -> bytes:
    """The exact bytes the matching CSV download serves."""
    return csv_io.csv_response(export.filename, export.header, export.rows).content


# --- the JSON document ----------------------------------------------------------------------------


class _ExportEncoder(DjangoJSONEncoder):
    """Numbers stay numbers (Django's encoder writes Decimals as strings)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def _name(user: User | None) -> str | None:
    return user.display_name() if user is not None else None


def data_document(user: User) -> dict:
    """Everything the app holds about her, except physio notes not shared with her."""
    profile: PatientProfile = user.profile
    side = profile.affected_side
    sessions = (
        ExerciseSession.objects.for_patient(user)
        .prefetch_related("entries__exercise")
        .order_by("performed_at", "id")
    )
    return {
        "about": (
            "All the data Calf Rehab Tracker holds about you. Girth is in centimetres; "
            "LSI is the limb symmetry index (affected side / other side x 100)."
        ),
        "format_version": 1,
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": {
            "affected_side": profile.affected_side,
            "condition": profile.condition,
            "onset_date": profile.onset_date,
            "physiotherapist": _name(profile.physio),
            "unit": profile.unit,
            "target_lsi_percent": profile.target_lsi,
            "sex": profile.sex,
            "birth_year": profile.birth_year,
        },
        "measurements": [
            _measurement(m, side) for m in GirthMeasurement.objects.for_patient(user).order_by("date", "site")
        ],
        "heel_rise_tests": [
            {
                "date": t.date,
                "reps_left": t.reps_left,
                "reps_right": t.reps_right,
                "incline_degrees": t.incline,
                "lsi_percent": t.symmetry(side).lsi,
                "notes": t.notes,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
            }
            for t in HeelRiseTest.objects.for_patient(user).order_by("date", "id")
        ],
        "exercise_sessions": [_session(s) for s in sessions],
        "symptom_logs": [
            _symptom_log(log) for log in SymptomLog.objects.for_patient(user).order_by("date")
        ],
        "prescriptions": [
            {
                "exercise": p.exercise.name,
                **_dosage(p),
                "times_per_week": p.times_per_week,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "active": p.active,
                "notes": p.notes,
                "prescribed_by": _name(p.prescribed_by),
                "created_at": p.created_at,
            }
            for p in Prescription.objects.for_patient(user)
            .select_related("exercise", "prescribed_by")
            .order_by("start_date", "id")
        ],
        "physio_notes": [
            {
                "created_at": note.created_at,
                "author": _name(note.author),
                "text": note.text,
                "is_review": note.is_review,
                "read_at": note.read_at,
            }
            for note in PhysioNote.objects.filter(patient=user, visible_to_patient=True)
            .select_related("author")
            .order_by("created_at", "id")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at, "last_used_at": t.last_used_at}
            for t in ApiToken.objects.filter(user=user).order_by("created_at", "id")
        ],
    }


def _measurement(m: GirthMeasurement, affected_side: str) -> dict:
    symmetry = m.symmetry(affected_side)
    return {
        "date": m.date,
        "site": m.site,
        "left_readings_cm": m.left_readings,
        "right_readings_cm": m.right_readings,
        "left_mean_cm": m.left_cm,
        "right_mean_cm": m.right_cm,
        "lsi_percent": symmetry.lsi,
        "difference_cm": symmetry.difference,
        "measured_by": m.measured_by,
        "notes": m.notes,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def _dosage(item) -> dict:
    return {
        "side": item.side,
        "sets": item.sets,
        "reps": item.reps,
        "hold_seconds": item.hold_seconds,
        "minutes": item.minutes,
        "load_kg": item.load_kg,
    }


def _session(session: ExerciseSession) -> dict:
    return {
        "performed_at": session.performed_at,
        "duration_minutes": session.duration_minutes,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "rpe": session.rpe,
        "notes": session.notes,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "entries": [
            {"exercise": e.exercise.name, **_dosage(e), "pain_during": e.pain_during}
            for e in session.entries.all()
        ],
    }


def _symptom_log(log: SymptomLog) -> dict:
    return {
        "date": log.date,
        "pain_at_rest": log.pain_at_rest,
        "pain_next_morning": log.pain_next_morning,
        "night_cramps": log.night_cramps,
        "stiffness": log.stiffness,
        "limping": log.limping,
        "tender_points": tender_point_codes(log),
        "red_flags": log.red_flag_codes(),
        "notes": log.notes,
        "created_at": log.created_at,
        "updated_at": log.updated_at,
    }


def data_summary(user: User) -> list[tuple[str, int]]:
    """How many records of each kind she has, for the export and delete pages."""
    return [
        ("Calf measurements", GirthMeasurement.objects.for_patient(user).count()),
        ("Heel-rise tests", HeelRiseTest.objects.for_patient(user).count()),
        ("Exercise sessions", ExerciseSession.objects.for_patient(user).count()),
        ("Daily check-ins", SymptomLog.objects.for_patient(user).count()),
        ("Prescribed exercises", Prescription.objects.for_patient(user).count()),
        (
            "Notes from your physiotherapist",
            PhysioNote.objects.filter(patient=user, visible_to_patient=True).count(),
        ),
    ]


README_TEXT = """Your data from Calf Rehab Tracker, exported on {date}.

data.json              everything in one document: your account and profile, calf measurements,
                       heel-rise tests, exercise sessions with their exercises, daily check-ins,
                       your exercise programme and the notes your physiotherapist shared with you.
measurements.csv       calf girth (cm), the same file as "Export CSV" on the measurements page.
heel-rise.csv          heel-rise tests.
exercise-sessions.csv  one row per exercise in each session.
symptoms.csv           daily check-ins.
"""


def export_filename(day: datetime.date) -> str:
    return f"calf-rehab-data-{day.isoformat()}.zip"


def export_zip(user: User) -> bytes:
    """A zip of one CSV per record type, data.json and a short README."""
    today = timezone.localdate()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README_TEXT.format(date=today.isoformat()))
        document = json.dumps(data_document(user), cls=_ExportEncoder, indent=2, ensure_ascii=False)
        archive.writestr("data.json", document)
        for build in CSV_EXPORTS:
            export = build(user)
            archive.writestr(export.filename, csv_bytes(export))
    return buffer.getvalue()


# --- deleting the account -------------------------------------------------------------------------


def _historical_models() -> list[type[Model]]:
    return [model for model in apps.get_app_config("tracker").get_models() if hasattr(model, "history_id")]


@transaction.atomic
def delete_account(user: User) -> ClosedAccount:
    """Delete a patient and everything about her; leave her physio a note that she left.

    Deleting the user cascades to her profile, records and API tokens. The audit history
    (simple-history) has no foreign-key constraints, so its rows are purged here, as are her
    admin log entries, login sessions and login-attempt records.
    """
    profile = user.profile
    closed = ClosedAccount.objects.create(physio=profile.physio, display_name=user.display_name())
    user_id, username = user.pk, user.get_username()
    owned_ids = _owned_object_ids(user)
    # Includes sessions deleted earlier: their entries' history still points at them.
    session_ids = set(
        apps.get_model("tracker", "HistoricalExerciseSession")
        ._default_manager.filter(patient_id=user_id)
        .values_list("id", flat=True)
    ) | owned_ids.get(ExerciseSession, set())

    user.delete()  # simple-history records the cascade deletions; purged just below

    for model in _historical_models():
        fields = {field.name for field in model._meta.fields}
        conditions = [Q(**{f"{owner}_id": user_id}) for owner in ("patient", "user") if owner in fields]
        if "session" in fields:
            conditions.append(Q(session_id__in=session_ids))
        history = model._default_manager
        if conditions:
            history.filter(reduce(operator.or_, conditions)).delete()
        history.filter(history_user_id=user_id).update(history_user=None)

    for model, ids in owned_ids.items():
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids]).delete()

    _delete_login_traces(user_id, username)
    return closed


def _owned_object_ids(user: User) -> dict[type[Model], set[int]]:
    """Ids of her account and every record of hers, by model (for the admin log clean-up)."""
    owned = {
        User: {user.pk},
        PatientProfile: {user.profile.pk},
        ExerciseSession: set(ExerciseSession.objects.filter(patient=user).values_list("pk", flat=True)),
    }
    for model in (GirthMeasurement, HeelRiseTest, SymptomLog, Prescription, PhysioNote):
        owned[model] = set(model.objects.filter(patient=user).values_list("pk", flat=True))
    entry_model = apps.get_model("tracker", "ExerciseEntry")
    owned[entry_model] = set(
        entry_model.objects.filter(session__patient=user).values_list("pk", flat=True)
    )
    return owned


def _delete_login_traces(user_id: int, username: str) -> None:
    """Her sessions on other devices and django-axes' records of her log-ins."""
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        apps.get_model(label).objects.filter(username=username).delete()
