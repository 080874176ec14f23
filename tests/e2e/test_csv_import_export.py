"""Journey 5: import a CSV of 20 measurements through the preview, then export and compare."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_horizontal_scroll, assert_reachable, log_in
from tests.factories import PASSWORD, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def twenty_measurements() -> list[tuple[str, str, Decimal, Decimal]]:
    """(date, site, left cm, right cm): weekly at tt10, the left calf slowly recovering."""
    today = timezone.localdate()
    return [
        (
            (today - datetime.timedelta(weeks=20 - week)).isoformat(),
            "tt10",
            Decimal("33.0") + Decimal("0.1") * week,
            Decimal("37.5"),
        )
        for week in range(20)
    ]


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "site", "left_cm", "right_cm", "measured_by", "notes"])
    for day, site, left, right in rows:
        writer.writerow([day, site, left, right, "self", "imported"])
    return out.getvalue().encode()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_import_twenty_measurements_then_export_the_same(page, transactional_db):
    PatientFactory(username="ines", first_name="Ines")
    rows = twenty_measurements()
    log_in(page, "ines", PASSWORD)

    page.goto("/measurements/")
    page.get_by_role("link", name="Import CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import calf measurements")
    assert_no_horizontal_scroll(page)
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "girth.csv", "mimeType": "text/csv", "buffer": as_csv(rows)}]
    )
    page.get_by_label("YYYY-MM-DD").check()
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_role("status").first).to_have_text(
        "20 new, 0 duplicates (skipped), 0 invalid (skipped)."
    )
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(20)
    assert_no_horizontal_scroll(page)
    confirm = page.get_by_role("button", name="Import 20 new measurements")
    assert_reachable(page, confirm)
    confirm.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Calf measurements")
    expect(page.get_by_role("status").first).to_contain_text("Imported 20 measurements; skipped 0 rows")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(20)
    assert_no_horizontal_scroll(page)

    export = page.get_by_role("link", name="Export CSV")
    assert_reachable(page, export)
    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename == "measurements.csv"
    exported = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert sorted(
        (row["date"], row["site"], Decimal(row["left_cm"]), Decimal(row["right_cm"])) for row in exported
    ) == sorted(rows)
    assert {row["notes"] for row in exported} == {"imported"}
    assert {row["measured_by"] for row in exported} == {"self"}

    # The exported file imports back as 20 duplicates: nothing is doubled.
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(download.path())
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status").first).to_have_text(
        "0 new, 20 duplicates (skipped), 0 invalid (skipped)."
    )
    expect(page.get_by_text("There is nothing new to import in this file.")).to_be_visible()
