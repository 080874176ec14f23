"""Journey 2: log a session pre-filled from the programme, add a third exercise, edit it, delete it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_no_horizontal_scroll,
    assert_reachable,
    exactly,
    log_in,
    open_menu_if_collapsed,
)
from tests.factories import PASSWORD, PatientFactory, PrescriptionFactory, exercise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def patient_with_programme(transactional_db):
    patient = PatientFactory(username="hana", first_name="Hana")
    PrescriptionFactory(patient=patient, exercise=exercise("eccentric-heel-drop-straight"), sets=3, reps=15)
    PrescriptionFactory(
        patient=patient, exercise=exercise("wall-gastrocnemius-stretch"), sets=3, reps=None, hold_seconds=30
    )
    return patient


@pytest.mark.parametrize("viewport", ["phone"])
def test_log_edit_and_delete_a_session_from_the_programme(page, patient_with_programme):
    log_in(page, "hana", PASSWORD)
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="No sessions logged yet")).to_be_visible()
    page.get_by_role("link", name="Log today's programme").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log today's programme")
    first, second = page.get_by_role("group", name="Exercise 1"), page.get_by_role("group", name="Exercise 2")
    expect(first.get_by_label(exactly("Exercise"))).to_have_value(
        str(exercise("eccentric-heel-drop-straight").pk)
    )
    expect(first.get_by_label("Repetitions")).to_have_value("15")
    expect(second.get_by_label(exactly("Exercise"))).to_have_value(
        str(exercise("wall-gastrocnemius-stretch").pk)
    )
    expect(second.get_by_label("Hold (seconds)")).to_have_value("30")
    expect(second.get_by_label("Repetitions")).to_be_hidden()  # the script shows only the matching amount
    # ... as wide as the sets above it and the load beside it (not a third of the row).
    for entry, amount in ((first, "Repetitions"), (second, "Hold (seconds)")):
        boxes = [entry.get_by_label(exactly(label)).bounding_box() for label in (amount, "Sets", "Load (kg)")]
        widths = [box["width"] for box in boxes]
        assert max(widths) - min(widths) < 2, widths
    assert_no_horizontal_scroll(page)

    add = page.get_by_role("button", name="Add another exercise")
    assert_reachable(page, add)
    add.click()
    third = page.get_by_role("group", name="Exercise 3")
    expect(third).to_be_visible()
    expect(third.get_by_label(exactly("Exercise"))).to_be_focused()  # added in place, focus moved into it
    third.get_by_label(exactly("Exercise")).select_option(label="Seated calf raise")
    third.get_by_label(exactly("Sets")).fill("3")
    third.get_by_label("Repetitions").fill("15")
    third.get_by_label("Pain during (0-10)").fill("2")
    page.get_by_label("Pain after (0-10)").fill("3")
    assert_no_horizontal_scroll(page)
    save = page.get_by_role("button", name="Save session")
    assert_reachable(page, save)
    save.click()

    expect(page.get_by_role("status").filter(has_text="Session saved")).to_contain_text("3 exercises")
    exercises_table = page.get_by_role("table")
    for name in ("Eccentric heel drop, knee straight", "Wall gastrocnemius stretch", "Seated calf raise"):
        expect(exercises_table.get_by_role("rowheader", name=name)).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="All sessions").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Seated calf raise")
    expect(rows.nth(1)).to_contain_text("3/10")
    assert_no_horizontal_scroll(page)

    rows.nth(1).get_by_role("link").click()
    page.get_by_role("link", name="Edit this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit session")
    page.get_by_label("Pain after (0-10)").fill("4")
    page.get_by_role("group", name="Exercise 2").get_by_label("Remove this exercise").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text="Session updated")).to_contain_text("2 exercises")
    pain_after = page.get_by_text("Pain after", exact=True).locator("xpath=following-sibling::dd[1]")
    expect(pain_after).to_have_text("4/10")
    expect(page.get_by_role("rowheader", name="Wall gastrocnemius stretch")).to_have_count(0)

    delete = page.get_by_role("button", name="Delete this session")
    assert_reachable(page, delete)
    delete.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete exercise session?")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exercise sessions")
    expect(page.get_by_role("status").first).to_contain_text("Deleted: Session on")
    expect(page.get_by_role("heading", name="No sessions logged yet")).to_be_visible()
