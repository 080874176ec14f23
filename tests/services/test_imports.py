"""The CSV import's fast paths (issue 19, defect 12): values checked once per distinct value, rows
and their audit history written with one executemany each, a preview page of bounded size."""

import datetime
from decimal import Decimal

from django.utils import timezone

from bench.imports import csv_of
from tracker.models import GirthMeasurement
from tracker.services import imports


def test_imported_rows_and_their_history_are_what_a_save_writes(patient):
    rows = [
        {"date": "2024-05-01", "site": "tt10", "measured_by": "self", "notes": "=1+1",
         "left": ["34.2", "34.4"], "right": ["37.6"]},
        {"date": "2024-05-02", "site": "max", "measured_by": "physio", "notes": "",
         "left": ["35.0"], "right": ["38.0", "38.1", "38.3"]},
    ]
    before = timezone.now()

    assert imports.import_rows(patient, rows) == (2, 0)

    first, second = GirthMeasurement.objects.filter(patient=patient).order_by("date")
    assert (first.date, first.site, first.measured_by, first.notes) == (
        datetime.date(2024, 5, 1), "tt10", "self", "=1+1")
    assert (first.left_1, first.left_2, first.left_3, first.right_1) == (
        Decimal("34.2"), Decimal("34.4"), None, Decimal("37.6"))
    assert (first.left_cm, first.right_cm) == (Decimal("34.30"), Decimal("37.60"))
    assert (second.right_cm, second.measured_by) == (Decimal("38.1"), "physio")
    assert before <= first.created_at == first.updated_at <= timezone.now()
    for measurement in (first, second):
        (added,) = measurement.history.all()
        assert added.history_type == "+"
        assert added.history_user == patient
        assert added.history_date == measurement.created_at
        assert (added.left_cm, added.right_1, added.notes) == (
            measurement.left_cm, measurement.right_1, measurement.notes)


def test_the_same_value_gets_the_same_verdict_and_message_wherever_it_appears(patient):
    content = (b"date,site,left_cm,right_cm\n2024-05-01,tt10,34.2,37.6\n2024-05-02,tt10,34.25,37.6\n"
               b"2024-05-03,tt10,34.2,37.6\n2024-05-04,tt10,34.25,99.0\n")
    result = imports.preview(content, patient=patient, date_format="iso", stored=set())
    assert [row.status for row in result.rows] == ["new", "invalid", "new", "invalid"]
    assert result.rows[1].reason in result.rows[3].reason
    assert "with at most one decimal" in result.rows[1].reason
    assert "Enter a girth from 15.0 to 80.0 cm." in result.rows[3].reason


def test_the_preview_page_lists_the_rows_to_look_at_first_then_new_ones(patient):
    content = csv_of(500) + b"2024-13-01,tt10,34.2,37.6\n"
    result = imports.preview(content, patient=patient, date_format="iso", stored=set())

    shown = result.rows_shown(limit=10)

    assert len(result.rows) == 501
    assert len(shown) == 10
    assert shown[-1].status == "invalid" and shown[-1].number == 502  # the last row of the file
    assert [row.number for row in shown[:-1]] == list(range(2, 11))
    assert result.rows_shown(limit=1000) == result.rows


def test_an_inch_value_outside_the_plausible_range_is_refused_in_inches(patient):
    content = b"date,site,left_in,right_in\n2024-05-01,tt10,1.0,14.5\n2024-05-02,tt10,14.6,40\n"
    result = imports.preview(content, patient=patient, date_format="iso", stored=set())
    assert [row.reason for row in result.rows] == [
        "left_in: Enter a girth from 5.9 to 31.5 in.",
        "right_in: Enter a girth from 5.9 to 31.5 in.",
    ]
