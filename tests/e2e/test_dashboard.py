"""Journey 4: the dashboard charts load as SVG images with data tables; the range switch changes them."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, assert_no_horizontal_scroll, assert_reachable, log_in, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHART_TITLES = [
    "Calf girth — 10 cm below the knee bump (tt10)",
    "Limb symmetry",
    "Heel-rise test",
    "Weekly training volume",
    "Pain and night cramps",
    "Weekly adherence",
]


def chart_responses(page) -> dict:
    """URL -> (status, content type) of every chart image the page loads."""
    seen = {}
    page.on(
        "response",
        lambda response: (
            "/charts/" in response.url
            and seen.setdefault(response.url, (response.status, response.headers.get("content-type")))
        ),
    )
    return seen


def check_charts(page, seen: dict, range_key: str) -> dict[str, int]:
    """Every chart is a loaded SVG image with alt text and a data table; returns table rows per chart."""
    rows_per_chart = {}
    for title in CHART_TITLES:
        section = page.get_by_role("region", name=title, exact=True)
        image = section.get_by_role("img")
        image.scroll_into_view_if_needed()  # the images load lazily
        alt = image.get_attribute("alt")
        assert alt and len(alt) > 20, f"{title}: the image needs a summary as alt text, got {alt!r}"
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        src = image.evaluate("img => img.currentSrc")
        assert f"range={range_key}" in src, src
        assert seen.get(src) == (200, "image/svg+xml"), f"{title}: {src} answered {seen.get(src)}"

        section.get_by_text("Show the numbers as a table").click()
        table = section.get_by_role("table")
        expect(table).to_be_visible()
        assert_no_horizontal_scroll(page)
        rows_per_chart[title] = table.locator("tbody tr").count()
        assert rows_per_chart[title] > 0, f"{title}: the data table is empty"
    return rows_per_chart


@pytest.mark.parametrize("viewport", ["phone"])
def test_dashboard_charts_and_tables_follow_the_range_switch(page, transactional_db):
    seed_demo()
    seen = chart_responses(page)
    log_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anna")
    assert_no_horizontal_scroll(page)

    twelve_weeks = check_charts(page, seen, "12w")
    period = page.get_by_role("group", name="Period")
    expect(period.get_by_label("12 weeks")).to_be_checked()

    period.get_by_text("4 weeks").click()
    show = page.get_by_role("button", name="Show", exact=True)
    assert_reachable(page, show)
    show.click()
    page.wait_for_url("**/?range=4w*")
    expect(page.get_by_role("group", name="Period").get_by_label("4 weeks")).to_be_checked()
    four_weeks = check_charts(page, seen, "4w")

    # Sixteen weeks of data: a shorter period shows fewer points in every chart's table.
    for title in ("Calf girth — 10 cm below the knee bump (tt10)", "Limb symmetry", "Weekly adherence"):
        assert four_weeks[title] < twelve_weeks[title], (title, four_weeks[title], twelve_weeks[title])
