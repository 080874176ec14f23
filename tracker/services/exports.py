"""Every download of a patient's data: the per-type CSV files, her account zip and the physio's zip.

One CSV writer (`csv_bytes`) and one set of file names, so a file is the same wherever it is
downloaded from; an exported measurements file imports back without loss (`services.imports`).
"""

import csv
import datetime
import io
import json
import textwrap
import zipfile
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.utils import timezone

from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
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
from tracker.services import questionnaires as questionnaire_services
from tracker.services.export_document import ExportEncoder, data_document, display_name_of

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The measurements file's columns, in order; services.imports reads the same columns back.
MEASUREMENT_COLUMNS = (
    "date",
    "site",
    "left_cm",
    "right_cm",
    "left_readings",
    "right_readings",
    "lsi_percent",
    "difference_cm",
    "measured_by",
    "notes",
)
READINGS_SEPARATOR = ";"


def neutralise(value) -> str:
    """Make a cell safe to open in a spreadsheet (OWASP CSV injection advice).

    A text cell that starts with a formula character gets a leading apostrophe. Plain
    numbers such as -3.4 are left alone so exports stay numeric and re-importable.
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity"}


class CsvExport(NamedTuple):
    filename: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def csv_bytes(export: CsvExport) -> bytes:
    """The file's bytes: UTF-8, a header row, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export.header)
    for row in export.rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _local(value) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def measurement_csv(user: User) -> CsvExport:
    affected_side = user.profile.affected_side
    rows = (
        _measurement_row(m, affected_side)
        for m in measurement_selectors.export_rows(user).iterator()
    )
    return CsvExport("measurements.csv", MEASUREMENT_COLUMNS, rows)


def _measurement_row(m: GirthMeasurement, affected_side: str) -> list:
    symmetry = m.symmetry(affected_side)
    return [
        m.date.isoformat(),
        m.site,
        m.left_cm,
        m.right_cm,
        READINGS_SEPARATOR.join(str(r) for r in m.left_readings),
        READINGS_SEPARATOR.join(str(r) for r in m.right_readings),
        "" if symmetry.lsi is None else f"{symmetry.lsi:.1f}",
        f"{symmetry.difference:+.1f}",  # of two means to 0.1 cm
        m.measured_by,
        m.notes,
    ]


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
            ";".join(log.tender_point_codes()),
            ";".join(log.red_flag_codes()),
            log.notes,
        ]
        for log in symptom_selectors.symptom_logs_for_export(user)
    )
    return CsvExport("symptoms.csv", SYMPTOM_HEADER, rows)


PRESCRIPTION_HEADER = (
    "exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "times_per_week",
    "start_date", "end_date", "active", "notes",
)
NOTE_HEADER = ("created_at", "author", "text", "read_at")


def prescription_csv(user: User) -> CsvExport:
    prescriptions = (
        Prescription.objects.for_patient(user).select_related("exercise").order_by("start_date", "id")
    )
    rows = (
        (
            p.exercise.name, p.side, p.sets, p.reps, p.hold_seconds, p.minutes, p.load_kg,
            p.times_per_week, p.start_date.isoformat(), p.end_date.isoformat() if p.end_date else "",
            "yes" if p.active else "no", p.notes,
        )
        for p in prescriptions
    )
    return CsvExport("programme.csv", PRESCRIPTION_HEADER, rows)


def note_csv(user: User) -> CsvExport:
    """The notes her physiotherapist shared with her (private notes never leave the clinic)."""
    notes = (
        PhysioNote.objects.filter(patient=user, visible_to_patient=True)
        .select_related("author")
        .order_by("created_at", "id")
    )
    rows = ((_local(n.created_at), display_name_of(n.author), n.text, _local(n.read_at)) for n in notes)
    return CsvExport("notes.csv", NOTE_HEADER, rows)


MESSAGE_HEADER = ("created_at", "text", "in_reply_to_note_of", "read_at")


def message_csv(user: User) -> CsvExport:
    """The messages she wrote to her physiotherapist."""
    messages = Message.objects.filter(patient=user).select_related("reply_to").order_by("created_at", "id")
    rows = ((_local(m.created_at), m.text, _local(m.reply_to.created_at) if m.reply_to else None,
             _local(m.read_at)) for m in messages)
    return CsvExport("messages.csv", MESSAGE_HEADER, rows)


def questionnaire_csv(user: User) -> CsvExport:
    rows = questionnaire_services.export_rows(user)
    return CsvExport("questionnaires.csv", questionnaire_services.EXPORT_HEADER, rows)


CSV_EXPORTS = (
    measurement_csv, heel_rise_csv, session_csv, symptom_csv, prescription_csv, note_csv, message_csv,
    questionnaire_csv,
)


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
        ("Questionnaires filled in", questionnaire_services.submitted_count(user)),
        ("Your messages to your physiotherapist", Message.objects.filter(patient=user).count()),
    ]


# What her zip holds, file by file: told in its README.txt and on the page that offers it.
EXPORT_FILES = (
    ("data.json", "everything in one document: your account and profile, calf measurements with every "
                  "reading, heel-rise tests, exercise sessions with their exercises, daily check-ins, "
                  "your exercise programme, the notes your physiotherapist shared with you, your "
                  "messages to her and your questionnaires."),
    ("measurements.csv", 'calf girth (cm), the same file as "Export CSV" on the measurements page.'),
    ("heel-rise.csv", "heel-rise tests."),
    ("exercise-sessions.csv", "one row per exercise in each session."),
    ("symptoms.csv", "daily check-ins."),
    ("programme.csv", "the exercises your physiotherapist prescribed."),
    ("notes.csv", "the notes your physiotherapist shared with you."),
    ("questionnaires.csv", "the questionnaires you filled in, with each answer and the score."),
    ("messages.csv", "the messages you wrote to your physiotherapist."),
)


def readme_text(day: datetime.date) -> str:
    """The zip's README.txt: the date, then each file and what it holds (EXPORT_FILES)."""
    width, indent = 100, " " * 23
    lines = [f"Your data from Calf Rehab Tracker, exported on {day.isoformat()}.", ""]
    for name, what in EXPORT_FILES:
        lines.append(textwrap.fill(what, width, initial_indent=f"{name:<23}", subsequent_indent=indent))
    return "\n".join(lines) + "\n"


def export_filename(day: datetime.date) -> str:
    return f"calf-rehab-data-{day.isoformat()}.zip"


def export_zip(user: User) -> bytes:
    """A zip of one CSV per record type, data.json and a short README."""
    today = timezone.localdate()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme_text(today))
        document = json.dumps(data_document(user), cls=ExportEncoder, indent=2, ensure_ascii=False)
        archive.writestr("data.json", document)
        for build in CSV_EXPORTS:
            export = build(user)
            archive.writestr(export.filename, csv_bytes(export))
    return buffer.getvalue()


PROFILE_HEADER = (
    "username", "first_name", "last_name", "email", "affected_side", "condition", "onset_date",
    "unit", "target_lsi", "sex", "birth_year",
)


def clinic_zip(profiles: Iterable[PatientProfile]) -> bytes:
    """The physio's download: patients.csv, and for each patient a folder with her CSV files,
    the same files as her own export."""
    profiles = sorted(profiles, key=lambda profile: profile.user.username)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        rows = (
            (
                p.user.username, p.user.first_name, p.user.last_name, p.user.email, p.affected_side,
                p.condition, p.onset_date.isoformat() if p.onset_date else "", p.unit, p.target_lsi,
                p.sex, p.birth_year,
            )
            for p in profiles
        )
        archive.writestr("patients.csv", csv_bytes(CsvExport("patients.csv", PROFILE_HEADER, rows)))
        for profile in profiles:
            for build in CSV_EXPORTS:
                export = build(profile.user)
                archive.writestr(f"{profile.user.username}/{export.filename}", csv_bytes(export))
    return buffer.getvalue()
