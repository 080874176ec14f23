"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

One browser per test session (per xdist worker, each with its own live server), a fresh context
(cookies, storage) per test. A test runs at one window size (`viewport`: desktop, unless the test
parametrizes it) and checks layout and accessibility at both by resizing the window (helpers.py).
Every page a test opens is watched: a Content-Security-Policy violation, a console error or an
uncaught script error fails the test. On failure a screenshot and the page's HTML are written to
test-artifacts/.
"""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path
from tests.e2e.helpers import VIEWPORTS

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse ORM calls
# made by the test code (SynchronousOnlyOperation). The calls are synchronous, so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Generous: two workers, each with a browser and a live server, share two cores.
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 20_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Reports every CSP violation to the console with the file and line it came from, so that the
# console watcher below fails the test and says where to look.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}:${event.columnNumber}`
    + ` sample=${JSON.stringify(event.sample)}`);
});
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def missing_browser_message() -> str:
    return (
        f"Chromium not found at {chromium_path()} (set CHROMIUM_PATH to use another one); "
        f"the browser tests need it: {INSTALL_HINT}"
    )


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `e2e`, so that `-m "not e2e"` leaves the browser out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that passed still fails if the browser reported a problem while it ran."""
    result = yield
    problems = item.funcargs.get("page_problems")
    if problems is not None and problems.messages:
        problems.reported = True
        pytest.fail("The browser reported problems:\n" + "\n".join(problems.messages), pytrace=False)
    return result


def require_browser() -> None:
    """Skip (or under CI fail) when Chromium is missing."""
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)) and not shutil.which(executable):
        if in_ci():
            pytest.fail(missing_browser_message() + " (CI=true: a missing browser is a failure)")
        pytest.skip(missing_browser_message())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture: without a browser there is no point in creating the test database."""
    if item.get_closest_marker("e2e"):
        require_browser()


@pytest.fixture(scope="session")
def browser():
    require_browser()
    executable = chromium_path()
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # While Playwright's event loop runs in this thread, Django's `connections` (an asgiref Local)
    # would hand out new connection objects: a second connection to the in-memory SQLite test
    # database, without the serialized contents that serialized_rollback restores before each test.
    # Keep using the connections the rest of the test run uses, as Django's live server thread does.
    same_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in same_connections.items():
            connections[alias] = connection
        expect.set_options(timeout=EXPECT_TIMEOUT_MS)
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OneRequestAtATime:
    """WSGI wrapper that lets the live server handle one request at a time.

    With the in-memory SQLite test database every request thread shares one connection, and
    CPython's sqlite3 module deadlocks when two threads use one connection at once (one holds the
    GIL waiting for SQLite's lock, the other holds SQLite's lock waiting for the GIL in one of
    Django's SQL functions) — as the dashboard's six chart images did. Connections still open in
    parallel; only the app's work, response body included, is serialised.
    """

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, one request at a time when it shares an in-memory SQLite database."""
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    server = LiveServer(address or "localhost", start=False)
    if server.thread.connections_override:
        static_handler = server.thread.static_handler
        server.thread.static_handler = lambda app: OneRequestAtATime(static_handler(app))
    server.start()
    yield server
    server.stop()


@dataclass
class PageProblems:
    """Console errors, uncaught page errors and CSP violations seen while a test ran."""

    messages: list[str] = field(default_factory=list)
    reported: bool = False  # already failed the test's call phase

    @contextmanager
    def ignoring_axe_styles(self, page):
        """axe-core re-reads stylesheets by adding <style>@import "…"</style> elements: the page's CSP
        rightly blocks them, and the admin's relative @import (forms.css: widgets.css) then resolves
        against the page's URL, a 404. Those reports are dropped; anything else is kept.
        """
        before = len(self.messages)
        yield
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")  # deliver late reports
        axe_side_effect = re.compile(
            r"Applying inline style violates|CSP violation: style-src-elem blocked inline"
            r"|Failed to load resource: the server responded with a status of 404|HTTP 404 for \S+\.css"
        )
        self.messages[before:] = [m for m in self.messages[before:] if not axe_side_effect.search(m)]


@pytest.fixture
def viewport() -> str:
    """The window size a test runs at (a key of VIEWPORTS); a module may override it."""
    return "desktop"


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser, viewport, live_server):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
        accept_downloads=True,
        reduced_motion="reduce",  # no Bootstrap transitions: styles are final when a test reads them
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    context.add_init_script(CSP_REPORTER)
    yield context
    context.close()


@pytest.fixture
def page(context, page_problems, request) -> Iterator:
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            page_problems.messages.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_problems.messages.append(f"page error on {page.url}: {error}"))
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page_problems.messages.append(f"HTTP {response.status} for {response.url}")
        ),
    )
    yield page
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed:
        save_artifacts(page, request.node.nodeid)
    # Let late requests (lazy chart images) finish while the test may still use the database.
    for _ in range(200):
        if not in_flight:
            break
        page.wait_for_timeout(25)
    problems = [] if page_problems.reported else page_problems.messages
    if problems and not failed:
        save_artifacts(page, request.node.nodeid)  # reported after the test body (late requests)
    page.close()
    if problems and not failed:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def save_artifacts(page, nodeid: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # the page may be gone; the test's own error matters more
        (ARTIFACTS / f"{name}.txt").write_text(f"Could not save the page: {error}\n", encoding="utf-8")
