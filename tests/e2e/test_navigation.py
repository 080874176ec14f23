"""The main navigation on a laptop: its links do not fit one row beside the app's name between
992 and 1399 px; they wrap whole onto a second row, never a label broken over lines."""

import pytest

from tests.e2e.helpers import log_in_with_a_cookie
from tests.factories import PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINKS_ON_MORE_THAN_ONE_LINE = """() => [...document.querySelectorAll("nav .nav-link, nav .navbar-brand")]
  .filter((link) => {
    const style = getComputedStyle(link);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    return link.getBoundingClientRect().height - padding > 1.6 * parseFloat(style.lineHeight);
  })
  .map((link) => link.textContent.trim())"""


@pytest.mark.parametrize("width", [992, 1280, 1400])
def test_no_navigation_link_is_broken_over_lines(page, live_server, width):
    log_in_with_a_cookie(page, live_server, PatientFactory().username)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    assert page.get_by_role("link", name="Heel-rise tests").is_visible()  # expanded, not the menu button
    assert page.evaluate(LINKS_ON_MORE_THAN_ONE_LINE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
