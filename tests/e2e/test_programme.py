"""Journey: the demo patient opens "My programme" on a phone, sees today's exercises with their
pictures (paused by her open warning sign), logs the ones she had already done with one button,
and sees them done."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_horizontal_scroll, log_in, open_menu_if_collapsed, seed_demo
from tracker import progression
from tracker.management.commands.seed_demo import DEFAULT_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_demo_patient_logs_todays_programme_on_a_phone(page, viewport):
    seed_demo()
    log_in(page, "demo", DEFAULT_PASSWORD)
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="My programme").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My programme")
    today = page.get_by_role("region", name="Today")
    expect(today.get_by_text("Heavy slow calf raise")).to_be_visible()
    # The demo's warm, swollen calf ticked yesterday is an open warning sign: the page says to pause
    # until she has been seen, and nothing is due today; none done yet.
    pause = "Pause your calf exercises and heel-rise tests until you have been seen."
    expect(page.get_by_text(pause)).to_be_visible()
    expect(today.get_by_text("Paused", exact=True).first).to_be_visible()
    expect(today.get_by_text("Paused until you have been seen (see the warning above).")).to_be_visible()
    expect(today.get_by_text("Due today")).to_have_count(0)
    expect(today.get_by_text("Done today")).to_have_count(0)
    assert_no_horizontal_scroll(page)

    # Every exercise has its start-and-end drawing, described in words; her physio's photo is there.
    drawings = page.locator("figure.drawing img")
    expect(drawings).to_have_count(12)
    for index in range(12):
        drawing = drawings.nth(index)
        drawing.scroll_into_view_if_needed()
        assert drawing.get_attribute("alt").startswith("Start: " if index % 2 == 0 else "End: ")
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", drawing.element_handle())
        box = drawing.bounding_box()
        assert box["width"] > 300  # one panel above the other, each the width of the phone
    photo = page.get_by_role("img", name="Your set-up from the clinic")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    # The open warning sign holds the next step back too, and the page says so.
    expect(page.get_by_text(progression.PAUSED_PLAN).first).to_be_visible()

    # Paused, the button offers to log what she has done, not today's programme.
    expect(page.get_by_role("link", name="Log today's programme")).to_have_count(0)
    page.get_by_role("link", name="Log a session you have done").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session you have done")
    page.get_by_label("Pain after (0-10)").fill("2")
    page.get_by_role("button", name="Save session").last.click()
    expect(page.get_by_text("Session saved: 6 exercises.")).to_be_visible()

    open_menu_if_collapsed(page)
    page.get_by_role("link", name="My programme").first.click()
    today = page.get_by_role("region", name="Today")
    expect(today.get_by_text("Done today", exact=True)).to_have_count(6)  # the badges
    expect(today.get_by_text("Due today")).to_have_count(0)
    expect(today.get_by_text("(see the warning above); 6 done today.")).to_be_visible()
    assert_no_horizontal_scroll(page)
