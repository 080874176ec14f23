"""The record lists (and a session's exercises) on a phone: every column of every row can be read
without scrolling sideways.

`assert_no_horizontal_scroll` lets a table scroll inside its own box; these lists hold the verdicts
("within normal asymmetry", "real change", warning signs) in their last columns, which at 390 px
were hidden off to the right. On a phone each row is a card.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import VIEWPORTS, log_in_with_a_cookie, resized, seed_demo
from tracker.models import PatientProfile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTS = ("/measurements/", "/heel-rise/", "/symptoms/", "a session")

CELLS_PAST_THE_RIGHT_EDGE = """() => [...document.querySelectorAll("main table td, main table th")]
  .filter((cell) => cell.getClientRects().length)
  .filter((cell) => cell.getBoundingClientRect().right > window.innerWidth + 1)
  .map((cell) => cell.textContent.trim().slice(0, 40))"""


def test_every_cell_of_the_record_lists_lies_inside_a_phones_width(page, live_server):
    seed_demo()
    log_in_with_a_cookie(page, live_server, "demo")
    for path in LISTS:
        if path == "a session":  # her latest session's page: its exercises as a table
            page.goto("/sessions/")
            page.locator("main table tbody th a").first.click()
        else:
            page.goto(path)
        for size in VIEWPORTS:
            with resized(page, size):
                expect(page.locator("main table tbody tr").first).to_be_visible()
                assert page.evaluate(CELLS_PAST_THE_RIGHT_EDGE) == [], (path, size)
        with resized(page, "phone"):
            card = page.locator("main table tbody tr").first.bounding_box()
            scroll_box = page.locator("main .table-responsive").first.bounding_box()
            assert card["width"] <= VIEWPORTS["phone"]["width"]
            assert card["y"] >= scroll_box["y"], f"{path}: the first card's top edge is cut off"


def test_every_chart_table_on_her_dashboard_lies_inside_a_phones_width(page, live_server):
    """The weekly volume's numbers (six columns) scrolled sideways at 390 px: now one card a week."""
    seed_demo()
    log_in_with_a_cookie(page, live_server, "demo")
    page.goto("/")
    summaries = page.locator("main details > summary", has_text="Show the numbers as a table")
    for index in range(summaries.count()):
        summaries.nth(index).click()
    for size in VIEWPORTS:
        with resized(page, size):
            expect(page.locator("main details[open] table").first).to_be_visible()
            assert page.evaluate(CELLS_PAST_THE_RIGHT_EDGE) == [], size
    with resized(page, "phone"):
        right_leg = page.locator("main table.cards-on-phone td[data-label='Right (sets × reps)']")
        expect(right_leg.first).to_be_visible()


def test_the_physios_review_tables_of_girth_and_check_ins_fit_a_phone(page, live_server):
    """Her check-ins' last columns (warning signs ticked, notes) were off to the right at 390 px."""
    seed_demo()
    review = f"/admin/tracker/patientprofile/{PatientProfile.objects.get(user__username='demo').pk}/change/"
    log_in_with_a_cookie(page, live_server, "physio")
    page.goto(review)
    for size in VIEWPORTS:
        with resized(page, size):
            cells = page.evaluate(CELLS_PAST_THE_RIGHT_EDGE.replace("main table", ".review-records table"))
            assert cells == [], size
    with resized(page, "phone"):
        expect(page.locator(".review-cards td[data-label='Red flags ticked']").first).to_be_visible()
    # At 1280 px, with the menu open, the programme shows each row's dosage up to "times per week"
    # without scrolling sideways (it was past the right edge of its scrolling box).
    box = page.locator("#prescriptions-group .tabular").bounding_box()
    times = page.locator("#prescriptions-group tbody td.field-times_per_week input").first.bounding_box()
    assert times["x"] + times["width"] <= box["x"] + box["width"]


VISIBLE_HEADINGS = """() => [...document.querySelectorAll("#result_list thead th")]
  .filter((th) => th.getClientRects().length && !th.classList.contains("action-checkbox-column"))
  .map((th) => [th.textContent.trim(), th.querySelector("a") !== null])"""


def test_the_folded_caseload_offers_its_headings_as_sort_links_only(page, live_server):
    """Folded into cards (below 1400 px), the row of headings labels no column: it showed "Needs
    attention" and "Questionnaires" beside the sort links as if they were columns."""
    seed_demo()
    log_in_with_a_cookie(page, live_server, "physio")
    page.goto("/admin/tracker/patientprofile/")
    for size in VIEWPORTS:
        with resized(page, size):
            headings = page.evaluate(VISIBLE_HEADINGS)
            assert headings and all(is_link for _, is_link in headings), (size, headings)
            assert "Needs attention" not in [text for text, _ in headings]
            label = page.evaluate(
                "getComputedStyle(document.querySelector('#result_list thead tr'), '::before').content"
            )
            assert label == '"Sort by:"', size
