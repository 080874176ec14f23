"""After logging out, the browser's Back button shows no health data (issue 19, defect 9).

Her pages are `Cache-Control: private, no-store`: the browser keeps them neither in its HTTP cache
nor in its back/forward cache, so going back asks the server, which sends her to the login page.
Playwright turns Chromium's back/forward cache off by default; this test turns it back on, as in
the browsers patients use.
"""

import pytest

from tests.e2e.browser import CHROMIUM_ARGS, chromium_path
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.helpers import log_in, open_menu_if_collapsed
from tests.factories import PASSWORD, ExerciseEntryFactory, ExerciseSessionFactory, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET = "Private note: the calf swelled after the long run"


@pytest.fixture
def session_with_a_note(transactional_db):
    patient = PatientFactory(username="ines", first_name="Ines")
    session = ExerciseSessionFactory(patient=patient, notes=SECRET)
    ExerciseEntryFactory(session=session)
    return session


@pytest.fixture
def page_with_back_forward_cache(browser, live_server, viewport):
    """A page in a Chromium whose back/forward cache is on (the session's browser has it off)."""
    chromium = browser.browser_type.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    context = chromium.new_context(viewport=VIEWPORTS[viewport], base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
    chromium.close()


def test_back_after_logging_out_shows_the_login_page_not_her_data(page_with_back_forward_cache,
                                                                   session_with_a_note):
    page = page_with_back_forward_cache
    log_in(page, "ines", PASSWORD)
    page.goto(f"/sessions/{session_with_a_note.pk}/")
    assert SECRET in page.content()

    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Log out ines").click()
    page.wait_for_url("**/accounts/login/")
    # "commit": a page restored from the back/forward cache fires no new load event.
    page.go_back(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")

    assert SECRET not in page.content()
    assert "/accounts/login/" in page.url
    assert page.get_by_role("heading", name="Log in", level=1).is_visible()
