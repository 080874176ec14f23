"""Journey: a LEFS answered on a phone (390 x 844) with the keyboard alone, from the dashboard card to
her score; going back a question keeps the answer."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_horizontal_scroll, assert_reachable, exactly, tab_to
from tests.factories import PASSWORD, PatientFactory, QuestionnaireAssignmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def viewport() -> str:
    """This journey is about the phone."""
    return "phone"


@pytest.fixture
def patient(transactional_db):
    patient = PatientFactory(username="lena", first_name="Lena")
    QuestionnaireAssignmentFactory(patient=patient, start_date=timezone.localdate())
    return patient


def enter(page) -> None:
    """Press Enter on a link or submit button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.tagName + ':' + (document.activeElement.value || '')")


def answer_with_the_keyboard(page, number: int, choice: int) -> None:
    """On question `number`: Tab from the question into its answers, arrow down to the `choice`-th
    (0 = the first), then Tab to "Next" ("Check my answers" on the last) and press Enter."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number} of 20")
    assert focused(page) == "LEGEND:", "the question has the focus when the page opens"
    page.keyboard.press("Tab")
    if choice == 0:
        page.keyboard.press("Space")
    for _ in range(choice):
        page.keyboard.press("ArrowDown")
    assert focused(page) == f"INPUT:{choice}"
    page.keyboard.press("Tab")
    expected = "Check my answers" if number == 20 else "Next"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == expected
    enter(page)


def test_lefs_on_a_phone_with_the_keyboard_only(page, patient):
    started = time.monotonic()
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label(exactly("Username")))
    page.keyboard.type("lena")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    enter(page)

    start = page.get_by_role("button", name="Start LEFS")
    assert_reachable(page, start)
    tab_to(page, start)
    enter(page)

    choices = {number: number % 5 for number in range(1, 21)}  # 1, 2, 3, 4, 0, 1, ...: total 40
    for number in range(1, 21):
        if number == 1:
            assert_no_horizontal_scroll(page)
            assert_reachable(page, page.get_by_role("button", name="Next"))
        answer_with_the_keyboard(page, number, choices[number])
        if number == 5:
            # Back (the button after Next) to question 5: her answer is still chosen.
            tab_to(page, page.get_by_role("button", name="Back"))
            enter(page)
            expect(page.get_by_role("heading", level=1)).to_have_text("Question 5 of 20")
            worst = page.get_by_role("radio", name="Extreme Difficulty or Unable to Perform Activity")
            expect(worst).to_be_checked()
            page.keyboard.press("Tab")  # onto the chosen answer
            page.keyboard.press("Tab")  # Next
            enter(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_no_horizontal_scroll(page)
    submit = page.get_by_role("button", name="Submit my answers")
    assert_reachable(page, submit)
    tab_to(page, submit)
    enter(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your score")
    expect(page.locator(".q-score")).to_have_text("40 / 80")
    expect(page.get_by_text("Out of 80: the higher the score, the less difficulty")).to_be_visible()
    chart = page.get_by_role("img", name="LEFS score 40 of 80")
    expect(chart).to_have_count(1)
    assert_no_horizontal_scroll(page)
    seconds = time.monotonic() - started
    print(f"\nLEFS answered with the keyboard on a phone in {seconds:.1f} s (browser time)")
