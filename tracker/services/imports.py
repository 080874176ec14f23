"""CSV import of girth measurements: decoded, parsed and validated in memory, plain functions.

Each row becomes an unsaved GirthMeasurement checked with full_clean(): the model is the one source
of truth for ranges, choices and dates. Rows are new, duplicate (already stored, or repeated in the
file; skipped, never doubled) or invalid (with the reason).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from tracker import formatting, metrics
from tracker.models import GIRTH_READING_FIELDS, GirthMeasurement, User
from tracker.selectors import measurements as selectors
from tracker.selectors.versions import forget_data_version
from tracker.services.bulk import insert_rows
from tracker.services.exports import MEASUREMENT_COLUMNS, READINGS_SEPARATOR, neutralise

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_DATA_ROWS = 10_000
# The export's columns, in order; an exported file imports back without loss.
CSV_COLUMNS = MEASUREMENT_COLUMNS
MAX_READINGS = sum(name.startswith("left_") for name in GIRTH_READING_FIELDS)
DATE_FORMATS = {"iso": ("%Y-%m-%d", "YYYY-MM-DD"), "dmy": ("%d/%m/%Y", "DD/MM/YYYY")}
ONE_DECIMAL = Decimal("0.1")
# Means are derived from the readings, which are validated. Excluding the patient skips the per-row
# uniqueness query: duplicates are found against one set of her stored (date, site) pairs.
NOT_VALIDATED = ["patient", "left_cm", "right_cm"]
# Rows the preview page lists (those to look at first); the counts cover every row of the file.
PREVIEW_ROWS_SHOWN = 200

NOT_CSV = (
    "This file does not look like a CSV text file. In your spreadsheet choose "
    "File > Save as (or Download) > CSV, and upload that file."
)


class ImportFileError(Exception):
    """The whole file is refused; the message says why, in plain words."""


class RowError(Exception):
    """One row cannot be read; the message says why."""


@dataclass
class PreviewRow:
    number: int  # row number as a spreadsheet shows it (the header is row 1)
    status: str  # "new" | "duplicate" | "invalid"
    date: str
    site: str
    left_text: str = ""  # as written in the file, for rows that could not be read
    right_text: str = ""
    left_cm: Decimal | None = None  # mean, for rows that could be read
    right_cm: Decimal | None = None
    reason: str = ""
    remeasure: list[str] = field(default_factory=list)  # legs whose readings are > 0.5 cm apart
    values: dict | None = None  # JSON-able data of a new row (kept in the session until confirmed)


@dataclass
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)

    def rows_shown(self, limit: int = PREVIEW_ROWS_SHOWN) -> list[PreviewRow]:
        """The rows to look at (invalid, duplicate, readings to re-measure) first, then new ones, up to
        `limit`, in file order: a page of 10,000 rows would help nobody and cost seconds to render."""
        attention = [row for row in self.rows if row.status != "new" or row.remeasure][:limit]
        new = [row for row in self.rows if row.status == "new" and not row.remeasure]
        return sorted(attention + new[: limit - len(attention)], key=lambda row: row.number)

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def new_count(self) -> int:
        return self.count("new")

    @property
    def duplicate_count(self) -> int:
        return self.count("duplicate")

    @property
    def invalid_count(self) -> int:
        return self.count("invalid")

    @property
    def new_values(self) -> list[dict]:
        return [row.values for row in self.rows if row.status == "new"]


# --- The file ------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else cp1252, which Excel's "CSV" on Windows writes."""
    if not data.strip():
        raise ImportFileError("The file is empty. Choose a CSV file with a header row and measurements.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(NOT_CSV) from None
    if "\x00" in text:
        raise ImportFileError(NOT_CSV)
    return text


def read_table(text: str) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """(delimiter, header, [(row number, cells)]) with blank rows left out.

    The delimiter is "," or ";" (Excel in many European locales writes ";"), whichever the header
    line holds more of.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, [])
        for number, cells in enumerate(reader, start=2):
            if not "".join(cells).strip():
                continue
            if len(rows) == MAX_DATA_ROWS:
                raise ImportFileError(
                    f"This file has more than {MAX_DATA_ROWS:,} measurements. "
                    "Split it into smaller files and import them one by one."
                )
            rows.append((number, cells))
    except csv.Error as error:
        raise ImportFileError(f"This file could not be read as CSV ({error}).") from None
    header = [name.strip().lstrip("\ufeff").lower() for name in header]
    return delimiter, header, rows


def missing_columns(header: list[str]) -> list[str]:
    missing = [name for name in ("date", "site") if name not in header]
    for leg in metrics.SIDES:
        if f"{leg}_cm" not in header and f"{leg}_in" not in header:
            missing.append(f"{leg}_cm")
    return missing


# --- One row -------------------------------------------------------------------------------------


def unneutralise(text: str) -> str:
    """Undo exports.neutralise (the apostrophe before a formula-like cell), so notes round-trip."""
    if text.startswith("'") and neutralise(text[1:]) == text:
        return text[1:]
    return text


def _number(text: str, column: str, *, decimal_comma: bool) -> Decimal:
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise RowError(f"{column}: “{text}” is not a number.")
    try:
        tidy = value.quantize(ONE_DECIMAL)
    except InvalidOperation:  # far too many digits: the model's validators will say so
        return value
    return tidy if tidy == value else value  # "34.20" -> "34.2"; "34.25" stays for the validators


def _readings(record: dict, leg: str, *, decimal_comma: bool) -> list[str]:
    """The leg's readings in cm as strings: from <leg>_readings, else <leg>_cm, else <leg>_in."""
    listed = record.get(f"{leg}_readings", "").strip()
    if listed:
        column = f"{leg}_readings"
        parts = [part.strip() for part in listed.split(READINGS_SEPARATOR) if part.strip()]
        if len(parts) > MAX_READINGS:
            raise RowError(f"{column}: {len(parts)} readings; at most {MAX_READINGS} per leg.")
        return [str(_number(part, column, decimal_comma=decimal_comma)) for part in parts]
    cm_text = record.get(f"{leg}_cm", "").strip()
    if cm_text:
        return [str(_number(cm_text, f"{leg}_cm", decimal_comma=decimal_comma))]
    inch_text = record.get(f"{leg}_in", "").strip()
    if inch_text:
        inches = _number(inch_text, f"{leg}_in", decimal_comma=decimal_comma)
        low, high = metrics.girth_range("in")
        if not low <= inches <= high:  # said in inches, as the file gives them (the model says cm)
            raise RowError(f"{leg}_in: Enter a girth from {formatting.girth_range('in')}.")
        return [str(Decimal(str(metrics.inches_to_cm(inches))))]
    raise RowError(f"No {leg} calf value.")


@cache
def _measured_by_codes() -> dict[str, str]:
    """Code or label (lower case) -> code."""
    known = {code: code for code in GirthMeasurement.MeasuredBy.values}
    return known | {label.lower(): code for code, label in GirthMeasurement.MeasuredBy.choices}


def _measured_by(text: str) -> str:
    text = text.strip()
    if not text:
        return GirthMeasurement._meta.get_field("measured_by").default
    return _measured_by_codes().get(text.lower(), text)  # an unknown value is reported by full_clean


def parse_row(record: dict, *, date_format: str, decimal_comma: bool) -> dict:
    """A row's JSON-able values (date ISO, readings in cm as strings) or RowError with every reason."""
    problems = []
    values: dict = {
        "site": record.get("site", "").strip().lower(),
        "measured_by": _measured_by(record.get("measured_by", "")),
        "notes": unneutralise(record.get("notes", "")),
    }
    date_text = record.get("date", "").strip()
    pattern, label = DATE_FORMATS[date_format]
    try:
        if date_format == "iso" and len(date_text) == 10 and date_text[4] == date_text[7] == "-":
            values["date"] = datetime.date.fromisoformat(date_text).isoformat()  # strptime's result, faster
        else:
            values["date"] = datetime.datetime.strptime(date_text, pattern).date().isoformat()
    except ValueError:
        problems.append(f"Date: “{date_text}” is not a date written as {label}.")
    for leg in metrics.SIDES:
        try:
            values[leg] = _readings(record, leg, decimal_comma=decimal_comma)
        except RowError as error:
            problems.append(str(error))
    notes_limit = GirthMeasurement._meta.get_field("notes").max_length
    if len(values["notes"]) > notes_limit:
        problems.append(f"Notes: longer than {notes_limit:,} characters.")
    if problems:
        raise RowError(" ".join(problems))
    return values


class FieldChecks:
    """Model.clean_fields() and clean() for thousands of rows, with each field's clean() run once per
    distinct value: the model's own fields, validators and messages, at a fraction of the cost (a
    file repeats its sites, notes and readings; a reading is one of a few hundred values)."""

    def __init__(self, exclude: list[str]):
        self.fields = [f for f in GirthMeasurement._meta.concrete_fields if f.name not in exclude]
        self.results: dict[tuple, tuple[bool, object]] = {}
        self.means: dict[tuple, tuple] = {}  # readings -> (left_cm, right_cm)

    def compute_means(self, measurement: GirthMeasurement) -> None:
        """measurement.compute_means(), once per distinct set of readings."""
        readings = tuple(getattr(measurement, name) for name in GIRTH_READING_FIELDS)
        if readings not in self.means:
            measurement.compute_means()
            self.means[readings] = (measurement.left_cm, measurement.right_cm)
        measurement.left_cm, measurement.right_cm = self.means[readings]

    def full_clean(self, measurement: GirthMeasurement) -> None:
        errors: dict[str, list] = {}
        results = self.results
        for f in self.fields:
            raw = getattr(measurement, f.attname)
            if f.blank and (raw is None or raw == ""):  # Model.clean_fields skips empty optional fields
                continue
            # str() tells apart Decimal("34.20") (two decimal places: refused) and Decimal("34.2").
            key = (f.attname, str(raw) if type(raw) is Decimal else raw)
            result = results.get(key)
            if result is None:
                try:
                    result = results[key] = (True, f.clean(raw, measurement))
                except ValidationError as error:
                    result = results[key] = (False, error.error_list)
            if result[0]:
                setattr(measurement, f.attname, result[1])
            else:
                errors[f.name] = result[1]
        try:
            measurement.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def fill_and_check(measurement: GirthMeasurement, values: dict, checks: FieldChecks) -> GirthMeasurement:
    """Put parsed values into `measurement` (all its readings, replacing any), check them like
    full_clean (ValidationError if not valid) and compute the means.

    For the rows of a file: one FieldChecks checks each distinct value once, and one measurement can
    hold each row in turn (creating 10,000 model instances costs more than checking them).
    """
    measurement.date = datetime.date.fromisoformat(values["date"])
    measurement.site = values["site"]
    measurement.measured_by = values["measured_by"]
    measurement.notes = values["notes"]
    for name in GIRTH_READING_FIELDS:
        setattr(measurement, name, None)
    for leg in metrics.SIDES:
        for number, reading in enumerate(values[leg], start=1):
            setattr(measurement, f"{leg}_{number}", Decimal(reading))
    # No constraint checks: every CheckConstraint of the model repeats a field validator that is run
    # anyway, but checking it costs a database query per constraint and row (minutes for 10,000
    # rows). The constraints still guard the insert, which is one transaction.
    checks.full_clean(measurement)
    checks.compute_means(measurement)  # after the readings are known to be plausible numbers
    return measurement


def _reasons(error: ValidationError) -> str:
    parts = []
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else GirthMeasurement._meta.get_field(name).verbose_name
        parts += [f"{label[:1].upper()}{label[1:]}: {message}" if label else message for message in messages]
    return " ".join(parts)


# --- The whole import ----------------------------------------------------------------------------


def preview(
    data: bytes, *, patient: User, date_format: str, stored: set[tuple[str, str]]
) -> Preview:
    """Every row of the file as new, duplicate or invalid. ImportFileError if the file is refused.

    `stored` holds the (ISO date, site) pairs she already has.
    """
    delimiter, header, rows = read_table(decode(data))
    missing = missing_columns(header)
    if missing:
        names = ", ".join(f"“{name}”" for name in missing)
        raise ImportFileError(
            f"The file has no {names} column. Its first row must name the columns: "
            "date, site, left_cm, right_cm (or left_in, right_in for inches)."
        )
    if not rows:
        raise ImportFileError("The file has a header row but no measurements.")
    result = Preview()
    checks, scratch = FieldChecks(NOT_VALIDATED), GirthMeasurement(patient=patient)
    first_seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        record = dict(zip(header, cells, strict=False))
        row = PreviewRow(
            number=number,
            status="invalid",
            date=record.get("date", "").strip(),
            site=record.get("site", "").strip(),
            left_text=_leg_text(record, "left"),
            right_text=_leg_text(record, "right"),
        )
        result.rows.append(row)
        try:
            values = parse_row(record, date_format=date_format, decimal_comma=delimiter == ";")
            measurement = fill_and_check(scratch, values, checks)
        except RowError as error:
            row.reason = str(error)
            continue
        except ValidationError as error:
            row.reason = _reasons(error)
            continue
        row.date, row.site = values["date"], values["site"]
        row.left_cm, row.right_cm = measurement.left_cm, measurement.right_cm
        row.remeasure = measurement.legs_to_remeasure()
        key = (values["date"], values["site"])
        row.status = "duplicate"
        if key in stored:
            row.reason = "Already stored: you have a measurement at this site on this date."
        elif key in first_seen:
            row.reason = f"Repeats row {first_seen[key]} of this file (same date and site)."
        else:
            row.status, row.values = "new", values
            first_seen[key] = number
    return result


def _leg_text(record: dict, leg: str) -> str:
    for column in (f"{leg}_readings", f"{leg}_cm", f"{leg}_in"):
        text = record.get(column, "").strip()
        if text:
            return f"{text} in" if column.endswith("_in") else text
    return ""


def import_rows(patient: User, rows: list[dict]) -> tuple[int, int]:
    """Store the previewed new rows in one transaction: (imported, skipped).

    Every row is checked again; one that became a duplicate since the preview is skipped.
    """
    checks, scratch = FieldChecks(NOT_VALIDATED), GirthMeasurement(patient=patient)
    columns = [f for f in GirthMeasurement._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        stored = selectors.stored_dates_and_sites(patient)
        new = []
        for values in rows:
            try:
                key = (values["date"], values["site"])
                measurement = fill_and_check(scratch, values, checks)
            except (ValidationError, KeyError, TypeError, ValueError, ArithmeticError):
                continue
            if key in stored:
                continue
            stored.add(key)
            new.append({f.attname: getattr(measurement, f.attname) for f in columns})
        _insert_with_history(patient, new)
        # Inserted without signals: the cached data stamp (charts' cache key) is forgotten here.
        forget_data_version(patient.pk)
        transaction.on_commit(lambda: forget_data_version(patient.pk))
    return len(new), len(rows) - len(new)


def _insert_with_history(patient: User, rows: list[dict]) -> None:
    """What simple-history's bulk_create_with_history does (the rows and an "added" history row of
    each, by her), with each distinct value converted for the database once (services.bulk).

    `rows`: the values of each measurement by column (attname), as checked by fill_and_check.
    """
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.update(patient_id=patient.pk, created_at=now, updated_at=now)
    fields = [f for f in GirthMeasurement._meta.concrete_fields if not f.primary_key]
    insert_rows(GirthMeasurement, fields, ([row[f.attname] for f in fields] for row in rows))
    # Her rows saved at this very moment: (date, site) is unique for her.
    ids = {
        (day, site): pk
        for pk, day, site in GirthMeasurement.objects.filter(patient=patient, created_at=now)
        .values_list("pk", "date", "site")
    }
    history = GirthMeasurement.history.model
    tracked_names = {f.attname for f in history.tracked_fields}
    tracked = [f for f in history._meta.concrete_fields if f.attname in tracked_names]
    extra = {"history_date": now, "history_change_reason": None, "history_type": "+",
             "history_user_id": patient.pk}
    history_fields = tracked + [history._meta.get_field(name.removesuffix("_id")) for name in extra]
    for row in rows:
        row["id"] = ids[(row["date"], row["site"])]
    added = list(extra.values())
    insert_rows(history, history_fields, ([row[f.attname] for f in tracked] + added for row in rows))
