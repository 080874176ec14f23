"""Helpers shared by the browser journeys."""

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command

DEMO_PASSWORD = "calf-rehab-demo"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def exactly(label: str) -> re.Pattern:
    """A label matched whole, with or without crispy's required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")


@contextmanager
def resized(page, size: str) -> Iterator[None]:
    """The window at VIEWPORTS[size] inside the block, then back at the size it had."""
    before = page.viewport_size
    page.set_viewport_size(VIEWPORTS[size])
    try:
        yield
    finally:
        page.set_viewport_size(before)


def other_sizes(page) -> list[str]:
    return [name for name, size in VIEWPORTS.items() if size != page.viewport_size]


def assert_no_horizontal_scroll(page) -> None:
    """Nothing on the page is wider than the window, at this size and at every other of VIEWPORTS
    (a phone must never scroll sideways; a journey run at one size checks its pages at both)."""
    page.wait_for_load_state("load")  # measure with the stylesheets applied
    _assert_no_horizontal_scroll(page)
    for size in other_sizes(page):
        with resized(page, size):
            _assert_no_horizontal_scroll(page)


def _assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate(
            """() => {
              const clipped = (e) => {
                for (let a = e.parentElement; a; a = a.parentElement) {
                  if (getComputedStyle(a).overflowX !== "visible") return true;
                }
                return false;
              };
              return [...document.querySelectorAll("body *")]
                .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
                .slice(0, 5)
                .map((e) => `${Math.round(e.getBoundingClientRect().right)}px: ${e.outerHTML.slice(0, 200)}`);
            }"""
        )
        raise AssertionError(
            f"{page.url} scrolls sideways: scrollWidth {widths[0]} > innerWidth {widths[1]}; too wide: {wide}"
        )


def assert_reachable(page, locator) -> None:
    """The control can be scrolled to and lies inside the window's width (not cut off on a phone), at
    this size and at every other of VIEWPORTS."""
    _assert_reachable(page, locator)
    for size in other_sizes(page):
        with resized(page, size):
            _assert_reachable(page, locator)


def _assert_reachable(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not visible"
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{locator} is outside the window: {box}"


def log_in(page, username: str, password: str) -> None:
    """Log in through the real login form (django-axes counts failures: use correct passwords)."""
    page.goto("/accounts/login/")
    page.get_by_label(exactly("Username")).fill(username)
    page.get_by_label(exactly("Password")).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login as {username} failed: still on {page.url}"


def log_in_with_a_cookie(page, live_server, username: str) -> None:
    """Log in without the form: a session made on the server, handed to the browser as its cookie.

    For tests about other pages; the journeys log in through the form (`log_in`).
    """
    from django.conf import settings
    from django.test import Client

    from tracker.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def open_menu_if_collapsed(page) -> None:
    """On a phone the navigation sits behind the "Show menu" button."""
    toggler = page.get_by_role("button", name="Show menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#main-nav.show").wait_for()


def seed_demo() -> None:
    """The demo physio and patients (demo, tennis), as `make run` creates them."""
    call_command("seed_demo", force=True, stdout=io.StringIO())


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the keyboard focus (fails if it is never reached)."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(target) => document.activeElement === target", target):
            return
    raise AssertionError(f"{locator} was not reached with {limit} presses of Tab")
