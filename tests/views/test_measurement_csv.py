"""CSV export and CSV import of girth measurements."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import GirthMeasurementFactory, PatientFactory
from tests.helpers import text_of
from tracker.models import GirthMeasurement
from tracker.services import imports

TODAY = timezone.localdate()
EXPORT_URL = reverse("export_measurements")
IMPORT_URL = reverse("import_measurements")
HEADER = (
    "date,site,left_cm,right_cm,left_readings,right_readings,lsi_percent,difference_cm,measured_by,notes"
)


def upload(client, content: bytes | str, *, date_format: str = "iso", name: str = "measurements.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "date_format": date_format},
    )


def confirm(client):
    return client.post(IMPORT_URL, {"confirm": "yes"}, follow=True)


def statuses(response) -> dict[int, tuple[str, str]]:
    return {row.number: (row.status, row.reason) for row in response.context["preview"].rows}


def form_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("file", []))


def parsed(response_content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response_content.decode("utf-8"))))


# --- Export ---------------------------------------------------------------------------------------


def test_export_requires_login(client, db):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={EXPORT_URL}"


def test_export_columns_and_values(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient,
        date=datetime.date(2024, 5, 2),
        site="tt10",
        left_1=Decimal("34.1"),
        left_2=Decimal("34.3"),
        right_1=Decimal("37.6"),
        measured_by="physio",
        notes="Clinic visit",
    )
    response = patient_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="measurements.csv"' in response["Content-Disposition"]
    rows = parsed(response.content)
    assert rows[0] == HEADER.split(",")
    assert rows[1] == [
        "2024-05-02",
        "tt10",
        "34.2",  # means to one decimal, as the readings
        "37.6",
        "34.1;34.3",
        "37.6",
        "91.0",
        "-3.4",
        "physio",
        "Clinic visit",
    ]


def test_export_orders_by_date_then_site_and_has_only_her_rows(patient_client, patient, other_patient):
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 5, 2), site="tt10")
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 5, 2), site="max")
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 4, 1), site="tt15")
    GirthMeasurementFactory(patient=other_patient, date=datetime.date(2024, 4, 15), notes="olga's")
    rows = parsed(patient_client.get(EXPORT_URL).content)
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2024-04-01", "tt15"),
        ("2024-05-02", "max"),
        ("2024-05-02", "tt10"),
    ]
    assert "olga's" not in patient_client.get(EXPORT_URL).content.decode()


def test_export_neutralises_formula_notes_but_keeps_numbers(patient_client, patient):
    GirthMeasurementFactory(patient=patient, notes='=HYPERLINK("http://evil.example","x")')
    row = parsed(patient_client.get(EXPORT_URL).content)[1]
    assert row[9] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert row[7] == "-3.4"  # a negative number is not neutralised


def test_export_of_no_rows_is_just_the_header(patient_client):
    assert patient_client.get(EXPORT_URL).content.decode("utf-8") == HEADER + "\r\n"


# --- Import: the page ----------------------------------------------------------------------------


def test_import_requires_login(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={IMPORT_URL}"
    response = client.post(IMPORT_URL, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_import_page_works(patient_client):
    response = patient_client.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import calf measurements" in html
    assert 'enctype="multipart/form-data"' in html
    assert "DD/MM/YYYY" in html and "YYYY-MM-DD" in html


def test_import_without_a_file_says_so(patient_client):
    response = patient_client.post(IMPORT_URL, {"date_format": "iso"})
    assert response.status_code == 200
    assert "This field is required." in form_errors(response)


# --- Import: good files ----------------------------------------------------------------------------


GOOD = (
    "date,site,left_cm,right_cm,measured_by,notes\n"
    "2024-05-01,tt10,34.2,37.6,self,first\n"
    "2024-05-08,tt10,34.5,37.5,physio,\n"
    "2024-05-08,max,36.0,38.0,,\n"
)


def test_import_preview_then_confirm(patient_client, patient):
    response = upload(patient_client, GOOD)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.new_count, preview.duplicate_count, preview.invalid_count) == (3, 0, 0)
    html = response.content.decode()
    assert "Import 3 new measurements" in html
    assert "34.2 cm" in html and "2024-05-08" in html
    assert not GirthMeasurement.objects.exists()  # nothing stored before confirming

    response = confirm(patient_client)
    assert response.redirect_chain[-1][0] == reverse("measurement_list")
    assert "Imported 3 measurements; skipped 0 rows (duplicates or invalid)." in [
        str(m) for m in response.context["messages"]
    ]
    stored = GirthMeasurement.objects.filter(patient=patient).order_by("date", "site")
    assert [(m.date.isoformat(), m.site, m.left_cm, m.right_cm, m.measured_by) for m in stored] == [
        ("2024-05-01", "tt10", Decimal("34.20"), Decimal("37.60"), "self"),
        ("2024-05-08", "max", Decimal("36.00"), Decimal("38.00"), "self"),
        ("2024-05-08", "tt10", Decimal("34.50"), Decimal("37.50"), "physio"),
    ]
    assert stored[0].notes == "first"


def test_confirming_twice_does_not_double(patient_client, patient):
    upload(patient_client, GOOD)
    confirm(patient_client)
    response = confirm(patient_client)
    assert "There is nothing to import. Upload the file again." in [
        str(m) for m in response.context["messages"]
    ]
    assert GirthMeasurement.objects.filter(patient=patient).count() == 3


def test_import_utf8_with_bom(patient_client, patient):
    response = upload(patient_client, "\ufeff" + GOOD.replace("first", "Café"))
    assert response.context["preview"].new_count == 3
    confirm(patient_client)
    assert GirthMeasurement.objects.get(patient=patient, date="2024-05-01").notes == "Café"


def test_import_cp1252_file(patient_client, patient):
    content = GOOD.replace("first", "Café – 2 readings").encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = upload(patient_client, content)
    assert response.context["preview"].new_count == 3
    confirm(patient_client)
    assert GirthMeasurement.objects.get(patient=patient, date="2024-05-01").notes == "Café – 2 readings"


def test_import_semicolon_file_with_decimal_commas(patient_client, patient):
    content = (
        "date;site;left_cm;right_cm;left_readings\r\n"
        "2024-05-01;tt10;34,2;37,6;\r\n"
        '2024-05-02;tt10;;37,6;"34,1;34,3"\r\n'
    )
    response = upload(patient_client, content)
    assert statuses(response) == {2: ("new", ""), 3: ("new", "")}
    confirm(patient_client)
    second = GirthMeasurement.objects.get(patient=patient, date="2024-05-02")
    assert second.left_readings == [Decimal("34.1"), Decimal("34.3")]
    assert second.right_cm == Decimal("37.60")


def test_import_dd_mm_yyyy_dates(patient_client, patient):
    content = "date,site,left_cm,right_cm\n31/03/2024,tt10,34.2,37.6\n2024-04-01,tt10,34.2,37.6\n"
    response = upload(patient_client, content, date_format="dmy")
    rows = statuses(response)
    assert rows[2] == ("new", "")
    assert rows[3][0] == "invalid" and "not a date written as DD/MM/YYYY" in rows[3][1]
    confirm(patient_client)
    assert GirthMeasurement.objects.get(patient=patient).date == datetime.date(2024, 3, 31)


def test_import_inches_columns(patient_client, patient):
    response = upload(patient_client, "date,site,left_in,right_in\n2024-05-01,tt10,13.5,14.8\n")
    assert response.context["preview"].new_count == 1
    confirm(patient_client)
    stored = GirthMeasurement.objects.get(patient=patient)
    assert (stored.left_1, stored.right_1) == (Decimal("34.3"), Decimal("37.6"))


def test_import_preview_is_shown_in_her_unit(patient_client, patient):
    patient.profile.unit = "in"
    patient.profile.save()
    html = upload(patient_client, GOOD).content.decode()
    assert "13.5 in" in html and "34.2 cm" not in html


# --- Import: duplicates and invalid rows ---------------------------------------------------------


def test_import_skips_duplicates_in_db_and_within_file(patient_client, patient, other_patient):
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 5, 1), site="tt10")
    GirthMeasurementFactory(patient=other_patient, date=datetime.date(2024, 5, 2), site="tt10")
    content = (
        "date,site,left_cm,right_cm\n"
        "2024-05-01,tt10,30.0,30.0\n"  # already stored
        "2024-05-02,tt10,34.2,37.6\n"  # another patient's date: new for her
        "2024-05-02,tt10,35.0,37.6\n"  # repeats row 3
        "2024-05-02,max,35.0,37.6\n"
    )
    response = upload(patient_client, content)
    rows = statuses(response)
    assert rows[2] == ("duplicate", "Already stored: you have a measurement at this site on this date.")
    assert rows[3] == ("new", "")
    assert rows[4] == ("duplicate", "Repeats row 3 of this file (same date and site).")
    assert rows[5] == ("new", "")
    assert response.context["preview"].duplicate_count == 2

    response = confirm(patient_client)
    assert "Imported 2 measurements; skipped 2 rows (duplicates or invalid)." in [
        str(m) for m in response.context["messages"]
    ]
    assert GirthMeasurement.objects.filter(patient=patient).count() == 3
    assert GirthMeasurement.objects.get(patient=patient, date="2024-05-01").left_cm == Decimal("34.20")
    assert GirthMeasurement.objects.get(patient=patient, date="2024-05-02", site="tt10").left_1 == Decimal(
        "34.2"
    )


def test_import_reports_invalid_rows_with_reasons(patient_client):
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    content = (
        "date,site,left_cm,right_cm,left_readings,measured_by,notes\n"
        "2024-02-30,tt10,34.2,37.6,,,\n"  # 2 bad date
        f"{future},tt10,34.2,37.6,,,\n"  # 3 future
        "1899-12-31,tt10,34.2,37.6,,,\n"  # 4 before 1900
        "2024-05-01,calf,34.2,37.6,,,\n"  # 5 unknown site
        "2024-05-02,tt10,14.9,37.6,,,\n"  # 6 out of range
        "2024-05-03,tt10,abc,37.6,,,\n"  # 7 not a number
        "2024-05-04,tt10,NaN,inf,,,\n"  # 8 NaN / inf
        "2024-05-05,tt10,,37.6,34.1;34.2;34.3;34.4,,\n"  # 9 four readings
        "2024-05-06,tt10,,37.6,,,\n"  # 10 no left value
        "2024-05-07,tt10,34.2,37.6,,nurse,\n"  # 11 unknown measured_by
        "2024-05-08,tt10,34.25,37.6,,,\n"  # 12 too many decimals
        f"2024-05-09,tt10,34.2,37.6,,,{'x' * 2001}\n"  # 13 notes too long
        "2024-05-10,TT10,34.2,37.6,,Physiotherapist,fine\n"  # 14 valid (case-insensitive)
        "2024-05-11,tt10,1e400,37.6,,,\n"  # 15 absurdly large
    )
    response = upload(patient_client, content)
    assert response.status_code == 200
    rows = statuses(response)
    expected = {
        2: "Date: “2024-02-30” is not a date written as YYYY-MM-DD.",
        3: "Date: This date is in the future.",
        4: "Date: Enter a date from 1900 onwards.",
        5: "Site: “calf” is not one of max, tt10, tt15.",
        6: "Left reading 1: Enter a girth from 15.0 to 80.0 cm.",
        7: "left_cm: “abc” is not a number.",
        8: "left_cm: “NaN” is not a number. right_cm: “inf” is not a number.",
        9: "left_readings: 4 readings; at most 3 per leg.",
        10: "No left calf value.",
        11: "Measured by: “nurse” is not one of self, physio.",
        12: "Left reading 1: Enter a girth from 15.0 to 80.0 cm, with at most one decimal.",
        13: "Notes: longer than 2,000 characters.",
        15: "Left reading 1: Enter a girth from 15.0 to 80.0 cm, with at most one decimal.",
    }
    for number, reason in expected.items():
        assert rows[number][0] == "invalid", number
        assert reason in rows[number][1], (number, rows[number][1])
    assert rows[14] == ("new", "")
    preview = response.context["preview"]
    assert (preview.new_count, preview.invalid_count) == (1, 13)
    html = response.content.decode()
    assert "13</strong> invalid" in html
    assert "“abc” is not a number." in html


def test_import_absurd_inches_are_invalid_not_a_crash(patient_client):
    response = upload(patient_client, "date,site,left_in,right_in\n2024-05-01,tt10,1e400,14.8\n")
    assert response.status_code == 200
    assert statuses(response)[2] == ("invalid", "left_in: Enter a girth from 5.9 to 31.5 in.")


def test_import_is_csrf_protected(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("m.csv", GOOD.encode()), "date_format": "iso"}
    )
    assert response.status_code == 403
    response = client.post(IMPORT_URL, {"confirm": "yes"})
    assert response.status_code == 403


def test_import_missing_column_is_named(patient_client):
    response = upload(patient_client, "date,site,left_cm\n2024-05-01,tt10,34.2\n")
    assert response.status_code == 200
    assert "The file has no “right_cm” column." in form_errors(response)


def test_import_missing_date_and_site_columns_are_named(patient_client):
    response = upload(patient_client, "left_cm,right_cm\n34.2,37.6\n")
    assert "The file has no “date”, “site” column." in form_errors(response)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The submitted file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"date,site,left_cm,right_cm\n", "The file has a header row but no measurements."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "does not look like a CSV text file"),
        (bytes(range(256)) * 4, "does not look like a CSV text file"),
        ("date,site,left_cm,right_cm\n".encode("utf-16"), "does not look like a CSV text file"),
    ],
)
def test_import_refuses_unreadable_files_clearly(patient_client, content, message):
    response = upload(patient_client, content)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not GirthMeasurement.objects.exists()


def test_import_refuses_a_file_over_2_mb(patient_client):
    row = "2024-05-01,tt10,34.2,37.6,self," + "x" * 100 + "\n"
    content = "date,site,left_cm,right_cm,measured_by,notes\n" + row * (2 * 1024 * 1024 // len(row) + 1)
    assert len(content.encode()) > 2 * 1024 * 1024
    response = upload(patient_client, content)
    assert response.status_code == 200
    assert "This file is larger than 2 MB." in form_errors(response)


def test_a_large_upload_is_never_written_to_a_temporary_file(patient_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the upload was written to a temporary file")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    response = upload(patient_client, b"x" * (4 * 1024 * 1024))  # above FILE_UPLOAD_MAX_MEMORY_SIZE
    assert response.status_code == 200
    assert "This file is larger than 2 MB." in form_errors(response)


def test_import_refuses_more_than_10000_rows(patient_client):
    content = "date,site,left_cm,right_cm\n" + "2024-05-01,tt10,34.2,37.6\n" * 10_001
    response = upload(patient_client, content)
    assert response.status_code == 200
    assert "more than 10,000 measurements" in form_errors(response)


def test_import_accepts_exactly_10000_rows(patient, db):
    start = datetime.date(1990, 1, 1)
    lines = [
        f"{start + datetime.timedelta(days=i)},tt10,34.2,37.6" for i in range(imports.MAX_DATA_ROWS)
    ]
    content = ("date,site,left_cm,right_cm\n" + "\n".join(lines)).encode()
    result = imports.preview(content, patient=patient, date_format="iso", stored=set())
    assert result.new_count == 10_000


# --- Import: confirm -------------------------------------------------------------------------------


def test_confirm_skips_rows_that_became_duplicates(patient_client, patient):
    upload(patient_client, GOOD)
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 5, 8), site="max")
    response = confirm(patient_client)
    assert "Imported 2 measurements; skipped 1 row (duplicates or invalid)." in [
        str(m) for m in response.context["messages"]
    ]
    assert GirthMeasurement.objects.filter(patient=patient).count() == 3


def test_cancel_forgets_the_preview(patient_client, patient):
    upload(patient_client, GOOD)
    patient_client.post(IMPORT_URL, {"cancel": "yes"})
    confirm(patient_client)
    assert not GirthMeasurement.objects.exists()


REFUSE_BOOM = {
    # A trigger that makes the database itself refuse a row whose notes say "boom".
    "sqlite": (
        [
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON tracker_girthmeasurement "
            "WHEN NEW.notes = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ],
        ["DROP TRIGGER refuse_boom"],
    ),
    "postgresql": (
        [
            "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
            "IF NEW.notes = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
            "LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON tracker_girthmeasurement "
            "FOR EACH ROW EXECUTE FUNCTION refuse_boom()",
        ],
        ["DROP TRIGGER refuse_boom ON tracker_girthmeasurement", "DROP FUNCTION refuse_boom()"],
    ),
}


def test_confirm_imports_in_one_transaction(patient_client, patient):
    # 600 rows are inserted in two batches; the database refuses the last row, so nothing may remain.
    start = datetime.date(2020, 1, 1)
    lines = [f"{start + datetime.timedelta(days=i)},tt10,34.2,37.6,ok" for i in range(599)]
    lines.append(f"{start + datetime.timedelta(days=599)},tt10,34.2,37.6,boom")
    upload(patient_client, "date,site,left_cm,right_cm,notes\n" + "\n".join(lines))
    create, drop = REFUSE_BOOM[connection.vendor]
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
    try:
        response = confirm(patient_client)
    finally:
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)
    assert response.status_code == 200
    assert GirthMeasurement.objects.count() == 0
    assert any("Nothing was imported" in str(m) for m in response.context["messages"])
    # The preview is kept, so she can try again.
    response = confirm(patient_client)
    assert GirthMeasurement.objects.filter(patient=patient).count() == 600


def test_the_imported_rows_belong_to_the_importer_only(patient_client, patient, other_patient):
    upload(patient_client, GOOD)
    confirm(patient_client)
    assert GirthMeasurement.objects.filter(patient=other_patient).count() == 0
    assert GirthMeasurement.objects.filter(patient=patient).count() == 3


# --- Round trip ------------------------------------------------------------------------------------


def test_round_trip_export_import_export_is_identical(client, patient):
    GirthMeasurementFactory(
        patient=patient,
        date=datetime.date(2024, 5, 1),
        site="tt10",
        left_1=Decimal("34.1"),
        left_2=Decimal("34.3"),
        left_3=Decimal("34.1"),
        right_1=Decimal("37.6"),
        right_2=Decimal("37.9"),
        notes='=SUM(A1:A2) and "quotes", commas\r\nsecond line',
    )
    GirthMeasurementFactory(
        patient=patient, date=datetime.date(2024, 5, 1), site="max", measured_by="physio", notes="-flat"
    )
    GirthMeasurementFactory(
        patient=patient, date=datetime.date(2024, 6, 1), site="tt15", left_1=Decimal("40.0"), notes="café"
    )
    client.force_login(patient)
    exported = client.get(EXPORT_URL).content

    other = PatientFactory(username="bea")
    client.force_login(other)
    response = upload(client, exported)
    assert response.context["preview"].new_count == 3
    confirm(client)
    assert GirthMeasurement.objects.get(patient=other, site="tt10").notes.startswith("=SUM(A1:A2)")
    assert client.get(EXPORT_URL).content == exported


def test_import_preview_says_which_readings_differ_by_more_than_half_a_centimetre(patient_client, patient):
    """The form asks to re-measure; an imported record cannot be re-measured, so the preview says so
    and the row is imported as written (the same rule, GirthMeasurement.legs_to_remeasure)."""
    csv_text = (
        "date,site,left_cm,right_cm,left_readings,right_readings\n"
        "2025-03-01,tt10,,,34.0;34.8,37.0;37.1\n"
    )
    response = upload(patient_client, csv_text)
    assert statuses(response)[2][0] == "new"
    assert "The left readings differ by more than 0.5 cm" in text_of(response)
    confirm(patient_client)
    stored = GirthMeasurement.objects.get(patient=patient)
    assert stored.legs_to_remeasure() == ["left"]
