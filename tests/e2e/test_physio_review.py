"""Journey 6: the physio finds `demo` flagged in her caseload, reviews her and leaves a note she then sees."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, assert_no_horizontal_scroll, assert_reachable, log_in, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTE = "Great work this week. Keep the heel drops at 3 x 15 and add 2 kg to the single-leg raises."


def caseload_row(page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))


@pytest.mark.parametrize("viewport", ["desktop"])
def test_physio_reviews_demo_and_demo_sees_the_note(page, transactional_db):
    seed_demo()
    log_in(page, "physio", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))  # a physio's home is the clinic admin
    page.get_by_role("main").get_by_role("link", name="Patients", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload: choose a patient to review")
    assert_no_horizontal_scroll(page)
    # Flagged: new data since the last review (her last review was four weeks ago).
    new_data_filter = page.locator("details").filter(has=page.get_by_text("By not reviewed since new data"))
    new_data_filter.get_by_role("link", name="Yes").click()
    expect(page).to_have_url(re.compile(r"new_data=yes"))
    row = caseload_row(page, "Anna Runner")
    expect(row).to_be_visible()
    expect(row.get_by_role("img", name="True")).to_be_visible()
    expect(row).to_contain_text("94.9%")

    row.get_by_role("link", name="Anna Runner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Anna Runner")
    charts = page.get_by_role("region", name="Charts")
    for image in charts.get_by_role("img").all():
        image.scroll_into_view_if_needed()
        assert len(image.get_attribute("alt")) > 20
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert_no_horizontal_scroll(page)

    notes = page.get_by_role("group", name=re.compile(r"^Notes \(latest 10"))
    # The inline's blank row for a new note: the last visible row with a text box.
    new_note = notes.get_by_role("row").filter(visible=True).filter(has=page.get_by_role("textbox")).last
    expect(new_note.get_by_role("textbox")).to_have_value("")
    new_note.get_by_role("textbox").fill(NOTE)
    new_note.get_by_role("checkbox").check()
    save = page.get_by_role("button", name="Save", exact=True)
    assert_reachable(page, save)
    save.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    caseload_row(page, "Anna Runner").get_by_role("link", name="Anna Runner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Anna Runner")
    review = page.get_by_role("button", name="Mark reviewed")
    assert_reachable(page, review)
    review.click()
    expect(page.locator(".messagelist")).to_contain_text("Anna Runner marked as reviewed.")
    expect(page.get_by_role("region", name="Review")).to_contain_text("Last review: ")
    expect(page.get_by_role("region", name="Review")).to_contain_text("by Priya Shah")

    page.get_by_role("link", name="Patients", exact=True).first.click()
    expect(caseload_row(page, "Anna Runner").get_by_role("img", name="False")).to_be_visible()

    logout = page.get_by_role("button", name="Log out")
    assert_reachable(page, logout)
    logout.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    log_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anna")
    note = page.get_by_role("region", name="New note from your physiotherapist").filter(has_text=NOTE)
    expect(note).to_contain_text("New note from Priya Shah")
    assert_reachable(page, note.get_by_role("button", name="Mark as read"))
    assert_no_horizontal_scroll(page)
    note.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status").first).to_contain_text("Note marked as read.")
    expect(
        page.get_by_role("region", name="New note from your physiotherapist").filter(has_text=NOTE)
    ).to_have_count(0)
