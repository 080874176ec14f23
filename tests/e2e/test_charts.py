"""Charts in a real browser: legible on a phone, and drawn when a chart's URL is opened on its own."""

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, log_in, seed_demo
from tracker.charts.data import CHART_NAMES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# For each chart image on the page: the source the browser chose, how wide it is shown, and the
# smallest font size in its SVG and the SVG's own width (both in the SVG's units).
MEASURE_CHARTS = """async () => {
  const result = [];
  for (const img of document.querySelectorAll("img.chart")) {
    const svg = new DOMParser().parseFromString(await (await fetch(img.currentSrc)).text(), "image/svg+xml");
    const root = svg.documentElement;
    const sizes = [...root.querySelectorAll("text")].map((t) => parseFloat(t.getAttribute("font-size")));
    result.push({
      src: img.currentSrc,
      shown: img.getBoundingClientRect().width,
      viewBox: parseFloat(root.getAttribute("viewBox").split(" ")[2]),
      smallest: Math.min(...sizes),
      texts: sizes.length,
    });
  }
  return result;
}"""


def load_charts(page) -> None:
    for image in page.locator("img.chart").all():
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_chart_text_is_never_smaller_than_the_pages_small_text_on_a_phone(page, viewport, transactional_db):
    seed_demo()
    log_in(page, "demo", DEMO_PASSWORD)
    load_charts(page)
    small_text = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.small')).fontSize)"
    )
    charts = page.evaluate(MEASURE_CHARTS)
    assert len(charts) == len(CHART_NAMES)
    for chart in charts:
        assert chart["texts"] > 3, chart
        rendered_px = chart["smallest"] * chart["shown"] / chart["viewBox"]  # CSS px on screen
        if viewport == "phone":
            assert "size=phone" in chart["src"], chart
            assert rendered_px >= small_text - 0.5, (chart, rendered_px, small_text)
        else:
            assert "size=phone" not in chart["src"], chart
            assert rendered_px >= 12, (chart, rendered_px)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
@pytest.mark.parametrize("name", CHART_NAMES)
def test_a_chart_opened_by_its_url_draws_its_text_under_the_sites_csp(page, viewport, name, transactional_db):
    seed_demo()
    log_in(page, "demo", DEMO_PASSWORD)
    # A bare SVG document has no <link rel="icon">: the browser then asks for /favicon.ico.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    for size in ("", "&size=phone"):
        response = page.goto(f"/charts/{name}.svg?range=12w{size}")
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert "style-src 'self'" in policy and "unsafe-inline" not in policy  # the site's own policy
        drawn = page.evaluate(
            """() => [...document.querySelectorAll("text")].map((t) => {
                 const style = getComputedStyle(t);
                 const box = t.getBBox();
                 return {fill: style.fill, size: parseFloat(style.fontSize), width: box.width};
               })"""
        )
        assert len(drawn) > 3
        for text in drawn:
            assert text["size"] > 5 and text["width"] > 0, text
            assert text["fill"] not in ("none", "rgba(0, 0, 0, 0)"), text
        background = page.evaluate("() => getComputedStyle(document.querySelector('path')).fill")
        assert background == "rgb(255, 255, 255)"  # white, not the black of a blocked style
        # A screenshot has dark text pixels on a white background, not colours on black.
        shot = page.screenshot()
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = page.evaluate(
            """async (data) => {
                 const image = new Image();
                 image.src = "data:image/png;base64," + data;
                 await image.decode();
                 const canvas = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
                 canvas.width = image.width; canvas.height = image.height;
                 const context = canvas.getContext("2d");
                 context.drawImage(image, 0, 0);
                 const all = context.getImageData(0, 0, canvas.width, canvas.height).data;
                 let white = 0, dark = 0;
                 for (let i = 0; i < all.length; i += 4) {
                   const sum = all[i] + all[i + 1] + all[i + 2];
                   if (sum > 740) white++; else if (sum < 200) dark++;
                 }
                 return {white, dark, total: all.length / 4};
               }""",
            base64.b64encode(shot).decode(),
        )
        assert pixels["dark"] > 200, pixels  # axis text and lines
        assert pixels["white"] > pixels["total"] * 0.2, pixels


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_form_controls_have_a_3_to_1_boundary_and_the_site_switch_needs_no_button(
    page, viewport, transactional_db
):
    seed_demo()
    log_in(page, "demo", DEMO_PASSWORD)
    page.goto("/measurements/new/")

    def contrast_with_white(colour: str) -> float:
        red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])

        def linear(c):
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        return 1.05 / (luminance + 0.05)

    for selector in ("#id_date", "#id_site", "#id_left_1"):
        colour = page.eval_on_selector(selector, "(e) => getComputedStyle(e).borderTopColor")
        assert contrast_with_white(colour) >= 3, (selector, colour)
    page.goto("/")
    page.get_by_role("link", name="Daily check-in").click()  # straight to today's form
    expect(page.get_by_role("heading", level=1)).to_contain_text("(today)")
    for selector in (".red-flags .form-check-input", ".tp-check .form-check-input"):
        colour = page.eval_on_selector(selector, "(e) => getComputedStyle(e).borderTopColor")
        assert contrast_with_white(colour) >= 7, (selector, colour)

    page.goto("/")
    site = page.get_by_label("Girth site")
    site.select_option("max")
    page.wait_for_url(re.compile(r".*site=max.*"))
    expect(page.get_by_label("Girth site")).to_have_value("max")
