"""Journey 3: the daily check-in with two trigger points ticked on the body map, by mouse and by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_horizontal_scroll, assert_reachable, log_in, tab_to
from tests.factories import PASSWORD, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOWER_MEDIAL_LEFT = "Left calf, lower medial (an inch or two lower, inner side)"
UPPER_LATERAL_RIGHT = "Right calf, upper lateral (just below the knee crease, outer side)"


@pytest.fixture
def patient(transactional_db):
    return PatientFactory(username="lena", first_name="Lena")


def body_map_dot(page, checkbox):
    """The body-map dot drawn for a trigger-point checkbox (tied to it by the checkbox's id)."""
    return page.locator(f'[data-body-map] [data-input="{checkbox.get_attribute("id")}"]')


def assert_saved_with_two_points(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Symptom check-ins")
    expect(page.get_by_role("status").filter(has_text="Check-in for")).to_contain_text("saved")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("2: L-LM, R-UL")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_check_in_ticking_trigger_points_on_the_body_map_with_the_mouse(page, patient):
    log_in(page, "lena", PASSWORD)
    page.goto("/symptoms/")
    page.get_by_role("link", name="Check in for today").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(today)")
    assert_no_horizontal_scroll(page)

    page.get_by_label("Pain at rest (0–10)").fill("3")
    for label in (LOWER_MEDIAL_LEFT, UPPER_LATERAL_RIGHT):
        checkbox = page.get_by_label(label)
        dot = body_map_dot(page, checkbox)
        expect(checkbox).not_to_be_checked()
        dot.click()
        expect(checkbox).to_be_checked()
        expect(dot).to_contain_class("is-tender is-focused")  # filled, and highlighted under the pointer
    # A second click on a dot unticks it again, and a third ticks it.
    left_dot = body_map_dot(page, page.get_by_label(LOWER_MEDIAL_LEFT))
    left_dot.click()
    expect(page.get_by_label(LOWER_MEDIAL_LEFT)).not_to_be_checked()
    left_dot.click()
    expect(page.get_by_label(LOWER_MEDIAL_LEFT)).to_be_checked()
    expect(page.locator("[data-body-map] .tp.is-tender")).to_have_count(2)

    save = page.get_by_role("button", name="Save check-in")
    assert_reachable(page, save)
    save.click()
    assert_saved_with_two_points(page)

    page.get_by_role("link", name="(open to edit)").click()
    expect(page.get_by_label(LOWER_MEDIAL_LEFT)).to_be_checked()
    expect(page.get_by_label(UPPER_LATERAL_RIGHT)).to_be_checked()
    expect(page.locator("[data-body-map] .tp.is-tender")).to_have_count(2)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_check_in_with_the_keyboard_alone(page, patient):
    log_in(page, "lena", PASSWORD)
    page.goto("/symptoms/")

    tab_to(page, page.get_by_role("link", name="Check in for today"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(today)")

    tab_to(page, page.get_by_label("Pain at rest (0–10)"))
    page.keyboard.type("2")
    for label in (LOWER_MEDIAL_LEFT, UPPER_LATERAL_RIGHT):
        checkbox = page.get_by_label(label)
        tab_to(page, checkbox)
        # Focus is visible: an outline on the box, and its dot on the map is highlighted.
        assert checkbox.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        expect(body_map_dot(page, checkbox)).to_contain_class("is-focused")
        expect(body_map_dot(page, checkbox)).not_to_contain_class("is-tender")
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
        expect(body_map_dot(page, checkbox)).to_contain_class("is-tender is-focused")

    tab_to(page, page.get_by_role("button", name="Save check-in"))
    page.keyboard.press("Enter")
    assert_saved_with_two_points(page)
