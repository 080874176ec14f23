"""The measurement CSV import fed malformed files: never a 500, never an invalid row, problems explained.

Files come from hypothesis (random bytes, and CSV text built from hostile cells with random
delimiters, line endings and encodings) and from a list of known-bad shapes (no header, wrong
delimiter, binary, Latin-1, UTF-16, mixed line endings, huge fields, formula injection, thousands of
columns). Each upload is previewed and, when it has new rows, confirmed; then every stored row must
pass full_clean() and the number stored must be what the preview promised.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, currently_in_test_context, event, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from tracker.models import GirthMeasurement
from tracker.services import imports

IMPORT_URL = reverse("import_measurements")
FUZZ = fuzz_settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
SCRIPT = '<script>alert("csv")</script>'
COLUMNS = list(imports.CSV_COLUMNS) + ["left_in", "right_in"]
TODAY = timezone.localdate()

CELLS = {
    "date": ["2024-05-01", "01/05/2024", "0000-00-00", "2026-02-30", "9999-12-31", "1800-01-01", "", SCRIPT,
             (TODAY + datetime.timedelta(days=1)).isoformat(), "2024-05-01\x00", "٢٠٢٤-٠٥-٠١"],
    "site": ["tt10", "TT15", "max", "", "knee", SCRIPT, "tt10\u202e"],
    "number": ["34.2", "34,2", "37.6", "14.5", "15", "80", "80.1", "0", "-0", "-34", "NaN", "sNaN", "inf",
               "-Infinity", "1e309", "1e999999999", "9" * 50, "", "34.25", "١٢", SCRIPT, "=1+1"],
    "readings": ["34.1;34.3", "34.1;34.3;34.2", "34.1;34.3;34.2;34.4", ";;", "a;b", "1e309;NaN", "34,1;34,3"],
    "text": ["", "Clinic visit", SCRIPT, "=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "\u202eRTL", "🦵",
             "\x07bell", "x" * 3000, "line\nbreak", 'quote " inside'],
}
CELL_KIND = {"date": "date", "site": "site", "left_cm": "number", "right_cm": "number", "left_in": "number",
             "right_in": "number", "left_readings": "readings", "right_readings": "readings",
             "lsi_percent": "number", "difference_cm": "number", "measured_by": "text", "notes": "text"}


VALID = {
    "date": [(TODAY - datetime.timedelta(days=days)).isoformat() for days in (1, 2, 30, 400)],
    "site": ["tt10", "tt15", "max", "TT10 "],
    "number": ["34.2", "37.6", "15.0", "80", "41,3", " 36.05 "],
    "readings": ["34.1;34.3", "37.6; 37.4 ;37.5", "36.2"],
    "text": ["", "ok", "self", "physio", "Myself", SCRIPT],
}


def cell(kind: str, *, valid_bias: bool = False) -> st.SearchStrategy[str]:
    hostile = st.one_of(st.sampled_from(CELLS[kind]), st.text(max_size=20))
    if not valid_bias:
        return hostile
    valid = st.sampled_from(VALID[kind])
    return st.one_of(valid, valid, valid, hostile)  # mostly plausible, so rows reach the model


@st.composite
def csv_files(draw) -> tuple[bytes, str]:
    """(CSV bytes, date format) of hostile cells: random columns, delimiter, line endings, encoding.

    Three in four files have the right columns and mostly plausible cells, so that rows get as far
    as the model's validation and some are imported; the rest are shapeless.
    """
    plausible = draw(st.integers(min_value=0, max_value=3)) > 0
    extra = draw(st.lists(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=8)), max_size=4))
    header = ["date", "site", "left_cm", "right_cm", *extra] if plausible else extra
    delimiter = draw(st.sampled_from([",", ";"] if plausible else [",", ";", "\t", "|"]))
    date_format = draw(st.sampled_from(["iso", "dmy"]))
    endings = st.sampled_from(["\n", "\r\n", "\r"])
    rows = []
    for _ in range(draw(st.integers(min_value=1 if plausible else 0, max_value=6))):
        values = [draw(cell(CELL_KIND.get(name, "text"), valid_bias=plausible)) for name in header]
        if date_format == "dmy" and values and header[0] == "date":
            values[0] = re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1", values[0])
        if delimiter == ";":  # Excel's European CSV writes decimal commas
            values = [value.replace(".", ",") if re.fullmatch(r"[\d. ]+", value) else value
                      for value in values]
        if draw(st.booleans()):
            values += draw(st.lists(cell("text"), max_size=2))  # a ragged row
        rows.append(values)
    lines = []
    for values in [header, *rows]:
        quoted = [f'"{value.replace(chr(34), chr(34) * 2)}"' if draw(st.booleans()) else value
                  for value in values]
        lines.append(delimiter.join(quoted) + draw(endings))
    encodings = ["utf-8", "utf-8-sig", "cp1252", "latin-1"] + ([] if plausible else ["utf-16", "utf-32"])
    return "".join(lines).encode(draw(st.sampled_from(encodings)), errors="replace"), date_format


def note(outcome: str) -> None:
    """Counted by --hypothesis-show-statistics (outside hypothesis there is nothing to count)."""
    if currently_in_test_context():
        event(outcome)


# --- one upload, checked --------------------------------------------------------------------------


def upload(client: Client, content: bytes, *, date_format: str = "iso", name: str = "data.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(IMPORT_URL, {"file": file, "date_format": date_format})


def check_import(client: Client, patient, content: bytes, *, date_format: str = "iso"):
    """Upload, check the answer, confirm if there is something new; returns the preview or None."""
    before = GirthMeasurement.objects.filter(patient=patient).count()
    response = upload(client, content, date_format=date_format)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html  # file content is shown escaped
    preview = response.context.get("preview")
    if preview is None:  # refused as a whole: the form says why
        errors = response.context["form"].errors.get("file")
        assert errors and all(message.strip() for message in errors)
        note("file refused")
        assert GirthMeasurement.objects.filter(patient=patient).count() == before
        return None
    note(f"preview: {'some new' if preview.new_count else 'nothing new'}")
    for row in preview.rows:
        assert row.status in ("new", "duplicate", "invalid")
        if row.status != "new":
            assert row.reason.strip(), f"row {row.number} is {row.status} without a reason"
    assert GirthMeasurement.objects.filter(patient=patient).count() == before  # nothing before confirming
    if preview.new_count:
        confirmed = client.post(IMPORT_URL, {"confirm": "yes"})
        assert confirmed.status_code == 302
        assert GirthMeasurement.objects.filter(patient=patient).count() == before + preview.new_count
    for measurement in GirthMeasurement.objects.filter(patient=patient):
        measurement.full_clean()
    return preview


@pytest.fixture
def importer(patient, settings) -> Client:
    # Hundreds of imports a minute on purpose: the per-user rate limit is tested in test_rate_limits.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    client = Client()
    client.force_login(patient)
    return client


# --- property-based -------------------------------------------------------------------------------


@FUZZ
@given(content=st.binary(min_size=1, max_size=3000), date_format=st.sampled_from(["iso", "dmy"]))
def test_random_bytes_never_break_the_import(importer, patient, content, date_format):
    GirthMeasurement.objects.filter(patient=patient).delete()
    check_import(importer, patient, content, date_format=date_format)


@FUZZ
@given(file=csv_files())
def test_hostile_csv_text_never_breaks_the_import(importer, patient, file):
    GirthMeasurement.objects.filter(patient=patient).delete()
    content, date_format = file
    check_import(importer, patient, content, date_format=date_format)


@FUZZ
@given(
    left=cell("number", valid_bias=True), right=cell("number", valid_bias=True),
    date=cell("date", valid_bias=True), site=cell("site", valid_bias=True),
    notes=cell("text", valid_bias=True),
    measured_by=st.one_of(st.sampled_from(["self", "physio", "Myself", "Physiotherapist", ""]), cell("text"),
                          st.just("self")),
)
def test_one_hostile_row_is_imported_valid_or_explained(importer, patient, left, right, date, site, notes,
                                                        measured_by):
    """A well-formed file with one hostile row: it reaches the model's validation."""
    GirthMeasurement.objects.filter(patient=patient).delete()
    row = [date, site, left, right, measured_by, notes]
    line = ",".join('"' + value.replace('"', '""') + '"' for value in row)
    content = f"date,site,left_cm,right_cm,measured_by,notes\n{line}\n".encode()
    preview = check_import(importer, patient, content)
    if preview is not None:
        assert len(preview.rows) == 1


# --- known-bad shapes -----------------------------------------------------------------------------

GOOD = "date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,ok\n2024-05-08,tt10,34.5,37.5,ok\n"


def thousands_of_columns() -> bytes:
    names = ["date", "site", "left_cm", "right_cm"] + [f"extra{n}" for n in range(5000)]
    values = ["2024-05-01", "tt10", "34.2", "37.6"] + ["1"] * 5000
    return (",".join(names) + "\n" + ",".join(values) + "\n").encode()


MALFORMED = {
    "empty": b"",
    "only a BOM": b"\xef\xbb\xbf",
    "whitespace": b" \r\n\t\r\n",
    "header only": b"date,site,left_cm,right_cm\n",
    "no header": b"2024-05-01,tt10,34.2,37.6\n2024-05-08,tt10,34.5,37.5\n",
    "tab delimited": GOOD.replace(",", "\t").encode(),
    "pipe delimited": GOOD.replace(",", "|").encode(),
    "semicolon with decimal commas": b"date;site;left_cm;right_cm\n2024-05-01;tt10;34,2;37,6\n",
    "semicolon header, comma rows": b"date;site;left_cm;right_cm\n2024-05-01,tt10,34.2,37.6\n",
    "binary png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
    "NUL in a cell": b"date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,a\x00b\n",
    "latin-1": "date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,mollet gauche \xe9\xe8\n".encode(
        "latin-1"),
    "cp1252 smart quotes": "date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,“ok” – €\n".encode(
        "cp1252"),
    "utf-16 with BOM": GOOD.encode("utf-16"),
    "utf-16-le without BOM": GOOD.encode("utf-16-le"),
    "utf-32": GOOD.encode("utf-32"),
    "mixed line endings": b"date,site,left_cm,right_cm\r\n2024-05-01,tt10,34.2,37.6\n"
                          b"2024-05-08,tt10,34.5,37.5\r2024-05-15,tt10,34.6,37.4\r\n",
    "unicode line separator": "date,site,left_cm,right_cm\u20282024-05-01,tt10,34.2,37.6\n".encode(),
    "unbalanced quote": b'date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,"never closed\n',
    "huge field": b"date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6," + b"x" * 200_000 + b"\n",
    "huge quoted field": b'date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,"'
                         + b"y" * 150_000 + b'"\n',
    "notes over 2000 characters": b"date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,"
                                  + b"z" * 2001 + b"\n",
    "formula injection": b'date,site,left_cm,right_cm,notes\n2024-05-01,tt10,34.2,37.6,"=HYPERLINK(""http://x"")"\n'
                         b"2024-05-08,tt10,=1+1,37.6,@SUM(A1)\n",
    "html": f"date,site,left_cm,right_cm,notes\n{SCRIPT},{SCRIPT},{SCRIPT},37.6,{SCRIPT}\n".encode(),
    "thousands of columns": thousands_of_columns(),
    "duplicate header names": b"date,date,site,left_cm,right_cm\n2024-05-01,1900-01-01,tt10,34.2,37.6\n",
    "impossible dates": b"date,site,left_cm,right_cm\n0000-00-00,tt10,34.2,37.6\n2026-02-30,tt10,34.2,37.6\n"
                        b"9999-12-31,tt10,34.2,37.6\n1800-01-01,tt10,34.2,37.6\n",
    "non-finite numbers": b"date,site,left_cm,right_cm\n2024-05-01,tt10,NaN,37.6\n2024-05-02,tt10,inf,-inf\n"
                          b"2024-05-03,tt10,1e309,1e999999999\n2024-05-04,tt10,-0,37.6\n",
    "absurd inches": b"date,site,left_in,right_in\n2024-05-01,tt10,1e308,1e400\n2024-05-02,tt10,-1,13.5\n",
    "too many readings": b"date,site,left_readings,right_readings\n2024-05-01,tt10,34;34;34;34,37\n",
    "blank lines only after header": b"date,site,left_cm,right_cm\n\n\n,,,\n",
}


@pytest.mark.parametrize("content", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_files_are_refused_or_explained(importer, patient, content):
    check_import(importer, patient, content)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "The submitted file is empty."),
        ("whitespace", "The file is empty."),
        ("header only", "no measurements"),
        ("no header", "column"),
        ("tab delimited", "column"),
        ("binary png", "does not look like a CSV text file"),
        ("utf-16 with BOM", "does not look like a CSV text file"),
        ("NUL in a cell", "does not look like a CSV text file"),
        ("huge field", "could not be read as CSV"),
    ],
)
def test_refusals_say_why(importer, patient, name, message):
    response = upload(importer, MALFORMED[name])
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])


def reasons(preview) -> str:
    return " ".join(row.reason for row in preview.rows)


def test_latin1_and_cp1252_files_are_read(importer, patient):
    check_import(importer, patient, MALFORMED["latin-1"])
    check_import(importer, patient, MALFORMED["cp1252 smart quotes"].replace(b"2024-05-01", b"2024-05-02"))
    notes = set(GirthMeasurement.objects.filter(patient=patient).values_list("notes", flat=True))
    assert notes == {"mollet gauche éè", "“ok” – €"}


def test_mixed_line_endings_are_read(importer, patient):
    preview = check_import(importer, patient, MALFORMED["mixed line endings"])
    assert preview.new_count == 3


def test_impossible_dates_are_explained(importer, patient):
    preview = check_import(importer, patient, MALFORMED["impossible dates"])
    assert [row.status for row in preview.rows] == ["invalid"] * 4
    assert "is not a date written as YYYY-MM-DD" in reasons(preview)
    assert "in the future" in reasons(preview) and "from 1900 onwards" in reasons(preview)


def test_non_finite_numbers_are_explained(importer, patient):
    preview = check_import(importer, patient, MALFORMED["non-finite numbers"])
    assert [row.status for row in preview.rows] == ["invalid"] * 4
    assert "is not a number" in reasons(preview)


def test_notes_over_the_limit_are_explained(importer, patient):
    preview = check_import(importer, patient, MALFORMED["notes over 2000 characters"])
    assert preview.rows[0].status == "invalid" and "longer than 2,000 characters" in preview.rows[0].reason


def test_html_in_a_file_is_escaped_in_the_preview(importer, patient):
    response = upload(importer, MALFORMED["html"])
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_formula_cells_are_imported_as_text_and_neutralised_on_export(importer, patient):
    preview = check_import(importer, patient, MALFORMED["formula injection"])
    assert [row.status for row in preview.rows] == ["new", "invalid"]  # "=1+1" is not a girth
    assert GirthMeasurement.objects.get(patient=patient).notes == '=HYPERLINK("http://x")'
    exported = importer.get(reverse("export_measurements")).content.decode()
    assert re.search(r"'=HYPERLINK", exported)


def test_thousands_of_columns_import_the_known_ones(importer, patient):
    preview = check_import(importer, patient, MALFORMED["thousands of columns"])
    assert preview.new_count == 1
