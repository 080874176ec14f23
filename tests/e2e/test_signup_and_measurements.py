"""Journeys 1 and 7: a new patient signs up and measures her calves; a red-flag value is shown at once."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_no_horizontal_scroll,
    assert_reachable,
    exactly,
    log_in,
    open_menu_if_collapsed,
)
from tests.factories import PASSWORD, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SWELLING_MESSAGE = "Sudden calf swelling can be a sign of a blood clot. Seek medical review today."


def add_measurement(page, day: datetime.date, left: list[str], right: list[str]) -> None:
    page.get_by_role("link", name="Add a measurement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a calf measurement")
    assert_no_horizontal_scroll(page)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Site").select_option(label="10 cm below the knee bump (tt10)")
    for number, value in enumerate(left, start=1):
        page.get_by_label(f"Left calf, reading {number} (cm)").fill(value)
    for number, value in enumerate(right, start=1):
        page.get_by_label(f"Right calf, reading {number} (cm)").fill(value)
    save = page.get_by_role("button", name="Save measurement")
    assert_reachable(page, save)
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calf measurements")


@pytest.mark.parametrize("viewport", ["phone"])
def test_new_patient_signs_up_measures_and_sees_the_change(page):
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    assert_no_horizontal_scroll(page)
    page.get_by_label("Username").fill("runner28")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Email address").fill("maria@example.com")
    page.get_by_label(exactly("Password")).fill("calf-strong-again-2024")
    page.get_by_label("Password confirmation").fill("calf-strong-again-2024")
    page.get_by_label("Which calf is affected?").select_option(label="Left")
    page.get_by_label("Your condition").fill("Atrophy of the medial head of the left gastrocnemius")
    page.get_by_label("Show measurements in").select_option(label="Centimetres (cm)")
    create = page.get_by_role("button", name="Create account")
    assert_reachable(page, create)
    create.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Maria")
    expect(page.get_by_role("status").first).to_contain_text("Your account is ready")
    expect(page.get_by_text("affected side: left")).to_be_visible()
    assert_no_horizontal_scroll(page)

    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Measurements").click()
    expect(page.get_by_text("You have not recorded any calf measurements yet.")).to_be_visible()

    today = timezone.localdate()
    add_measurement(
        page, today - datetime.timedelta(days=7), ["34.0", "34.2", "34.1"], ["37.5", "37.6", "37.4"]
    )
    saved = page.get_by_role("status").filter(has_text="Saved:")
    expect(saved).to_contain_text("left 34.1 cm, right 37.5 cm — left calf 3.4 cm smaller: marked deficit")
    expect(saved).to_contain_text("goal: less than 1 cm smaller (not reached yet)")
    assert_no_horizontal_scroll(page)

    add_measurement(page, today, ["35.6", "35.7", "35.5"], ["37.5", "37.4", "37.6"])
    expect(page.get_by_role("status").filter(has_text="Saved:")).to_contain_text(
        "left calf 1.9 cm smaller: meaningful deficit"
    )
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header + two measurements, newest first
    expect(rows.nth(1)).to_contain_text("94.9%")
    expect(rows.nth(2)).to_contain_text("90.9%")
    assert_no_horizontal_scroll(page)

    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Dashboard").click()
    girth_card = page.get_by_role("region", name="Calf girth", exact=True)
    expect(girth_card).to_contain_text("Left calf 1.9 cm smaller")
    expect(girth_card).to_contain_text(
        "Meaningful deficit (1-2 cm); goal: less than 1 cm smaller (not reached yet)"
    )
    expect(girth_card).to_contain_text("Girth LSI 94.9% (for information")
    expect(girth_card).to_contain_text(re.compile(r"left calf \+1\.5 cm\s+— a real change"))
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_red_flag_swelling_is_shown_on_the_form_on_saving_and_on_the_dashboard(page, transactional_db):
    PatientFactory(username="swollen", first_name="Sara", profile__affected_side="left")
    log_in(page, "swollen", PASSWORD)

    page.goto("/measurements/new/")
    page.get_by_label("Left calf, reading 1 (cm)").fill("40.5")
    page.get_by_label("Right calf, reading 1 (cm)").fill("37.4")
    # A typo the form refuses (3.7 for 37) counts for nothing: it once made this "20.0 cm larger".
    page.get_by_label("Right calf, reading 2 (cm)").fill("3.7")
    on_the_form = page.get_by_role("alert").filter(has_text=SWELLING_MESSAGE)
    expect(on_the_form).to_contain_text("your left calf is 3.1 cm larger than the right")
    assert_reachable(page, on_the_form)
    page.get_by_label("Right calf, reading 2 (cm)").fill("")
    page.get_by_label("Site").select_option(label="15 cm below the knee bump (tt15)")
    expect(on_the_form).to_have_count(0)  # the side-to-side rule applies at tt10 and max only
    page.get_by_label("Site").select_option(label="Widest part of the calf (max)")
    page.get_by_label("Right calf, reading 1 (cm)").fill("37.5")
    expect(on_the_form).to_contain_text("your left calf is 3.0 cm larger than the right")
    page.get_by_role("button", name="Save measurement").click()

    alert = page.get_by_role("alert").filter(has_text=SWELLING_MESSAGE)
    expect(alert).to_be_visible()
    assert_reachable(page, alert)
    flagged_row = page.get_by_role("row").filter(has_text="Red flag")
    expect(flagged_row).to_contain_text(SWELLING_MESSAGE)
    assert_no_horizontal_scroll(page)

    page.goto("/")
    dashboard_alert = page.get_by_role("alert").filter(has_text="Act on this today")
    expect(dashboard_alert).to_contain_text(SWELLING_MESSAGE)
    assert_reachable(page, dashboard_alert)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_second_measurement_at_the_same_site_and_date_is_said_once_and_can_replace_the_first(page):
    patient = PatientFactory(username="twice", first_name="Tess")
    today = timezone.localdate()
    patient.girth_measurements.create(date=today, site="tt10", left_1="36.0", right_1="37.0")
    log_in(page, "twice", PASSWORD)
    page.goto("/measurements/new/")
    page.get_by_label("Site").select_option(label="10 cm below the knee bump (tt10)")
    said = page.get_by_text(re.compile("^You already have a measurement at this site on"))
    expect(said).to_have_count(1)  # said at once, before she types
    page.get_by_label("Left calf, reading 1 (cm)").fill("36.4")
    page.get_by_label("Right calf, reading 1 (cm)").fill("37.1")
    page.get_by_role("button", name="Save measurement").click()

    replace = page.get_by_role("button", name="Replace that measurement with these readings")
    expect(replace).to_be_visible()
    page.wait_for_load_state("networkidle")  # the script's own check, had it asked, has answered
    expect(said).to_have_count(1)  # by the server, under the date: the script does not say it again
    replace.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calf measurements")
    assert [float(m.left_1) for m in patient.girth_measurements.all()] == [36.4]
