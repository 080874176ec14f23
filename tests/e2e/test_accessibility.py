"""axe-core on every main page, at desktop and phone size: no serious or critical violations.

Each test opens its page once and checks it at both sizes, resizing the window in between.
"""

import datetime
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import (
    VIEWPORTS,
    assert_no_horizontal_scroll,
    log_in_with_a_cookie,
    resized,
    seed_demo,
)
from tracker.models import ExerciseSession, GirthMeasurement, HeelRiseTest, PatientProfile, PhysioNote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def demo_session_url() -> str:
    session = ExerciseSession.objects.filter(patient__username="demo").latest("performed_at")
    return f"/sessions/{session.pk}/"


def demo_edit_url(model, prefix: str) -> str:
    latest = model.objects.filter(patient__username="demo").order_by("-date", "-pk").first()
    return f"/{prefix}/{latest.pk}/edit/"


def demo_review_url() -> str:
    return f"/admin/tracker/patientprofile/{PatientProfile.objects.get(user__username='demo').pk}/change/"


def demo_reply_url() -> str:
    note = PhysioNote.objects.filter(patient__username="demo", visible_to_patient=True).latest("created_at")
    return f"/messages/?reply_to={note.pk}"


def demo_unsubscribe_url() -> str:
    from tracker.models import User
    from tracker.services.mail import unsubscribe_token

    return f"/unsubscribe/{unsubscribe_token(User.objects.get(username='demo'), 'reminders')}/"


def yesterday() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def open_chart_tables(page) -> None:
    for summary in page.get_by_text("Show the numbers as a table").all():
        summary.click()


def upload_a_csv(page) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "girth.csv",
                "mimeType": "text/csv",
                "buffer": b"date,site,left_cm,right_cm\n"
                b"2020-01-06,tt10,34.1,37.5\n2020-01-13,tt10,abc,37.5\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")


# (test id, who is logged in, path or a function returning it, what to do on the page before checking)
PAGES = [
    ("login", None, "/accounts/login/"),
    ("signup", None, "/accounts/signup/"),
    ("password-reset", None, "/accounts/password_reset/"),
    ("programme", "demo", "/programme/"),
    ("dashboard", "demo", "/"),
    ("dashboard-tables-open", "demo", "/", open_chart_tables),
    ("measurement-list", "demo", "/measurements/"),
    ("measurement-form", "demo", "/measurements/new/"),
    ("measurement-import", "demo", "/import/measurements/"),
    ("measurement-import-preview", "demo", "/import/measurements/", upload_a_csv),
    ("heel-rise-list", "demo", "/heel-rise/"),
    ("heel-rise-form", "demo", "/heel-rise/new/"),
    ("session-list", "demo", "/sessions/"),
    ("session-form", "demo", "/sessions/new/"),
    ("session-detail", "demo", demo_session_url),
    ("session-edit", "demo", lambda: demo_session_url() + "edit/"),
    ("measurement-edit", "demo", lambda: demo_edit_url(GirthMeasurement, "measurements")),
    ("heel-rise-edit", "demo", lambda: demo_edit_url(HeelRiseTest, "heel-rise")),
    ("check-in-list", "demo", "/symptoms/"),
    ("check-in-day", "demo", lambda: f"/symptoms/{yesterday()}/"),
    ("profile", "demo", "/profile/"),
    ("password-change", "demo", "/accounts/password_change/"),
    ("account-delete", "demo", "/account/delete/"),
    ("messages", "demo", "/messages/"),
    ("messages-reply", "demo", demo_reply_url),
    ("admin-triage-home", "physio", "/admin/"),
    ("admin-caseload", "physio", "/admin/tracker/patientprofile/"),
    ("admin-caseload-needs-attention", "physio", "/admin/tracker/patientprofile/?needs_attention=any"),
    ("admin-unassigned", "physio", "/admin/tracker/patientprofile/?assignment=unassigned"),
    ("admin-review", "physio", demo_review_url),
    ("admin-review-history", "physio", lambda: demo_review_url().replace("/change/", "/history/")),
    ("admin-prescription-add", "physio", "/admin/tracker/prescription/add/"),
    ("admin-note-add", "physio", "/admin/tracker/physionote/add/"),
    ("admin-media-add", "physio", "/admin/tracker/exercisemedia/add/"),
    ("admin-media-list", "physio", "/admin/tracker/exercisemedia/"),
    ("reminder-settings", "demo", "/profile/reminders/"),
    ("unsubscribe", "demo", demo_unsubscribe_url),  # the page works logged in or not
    ("admin-email-settings", "physio", "/admin/tracker/user/my-settings/"),
]


def blocking_violations(page, problems) -> list[dict]:
    with problems.ignoring_axe_styles(page):
        results = AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_accessible(page, problems) -> None:
    """axe at every window size of VIEWPORTS (the page as it is, resized in between)."""
    page.wait_for_load_state("load")
    for size in VIEWPORTS:
        with resized(page, size):
            violations = blocking_violations(page, problems)
            assert not violations, (
                f"axe found serious/critical violations on {page.url} at {size} size:\n{describe(violations)}"
            )


@pytest.mark.parametrize(
    ("who", "path", "prepare"),
    [(*p[1:3], p[3] if len(p) > 3 else None) for p in PAGES],
    ids=[p[0] for p in PAGES],
)
def test_page_has_no_serious_accessibility_violations(
    page, page_problems, transactional_db, live_server, who, path, prepare
):
    if who:
        seed_demo()
    url = path() if callable(path) else path  # database work before the browser's
    if who:
        log_in_with_a_cookie(page, live_server, who)
    page.goto(url)
    if prepare:
        prepare(page)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page, page_problems)
    assert_no_horizontal_scroll(page)


def test_chart_images_have_alt_text_and_a_data_table(page, page_problems, transactional_db, live_server):
    seed_demo()
    log_in_with_a_cookie(page, live_server, "demo")
    page.goto("/")
    sections = page.get_by_role("region").filter(has=page.locator("img.chart"))
    for size in VIEWPORTS:
        with resized(page, size):
            expect(sections).to_have_count(6)
            for section in sections.all():
                alt = section.locator("img.chart").get_attribute("alt") or ""
                assert len(alt) > 20, f"a chart needs a summary as its alt text, got {alt!r}"
                show = section.get_by_text("Show the numbers as a table")
                table = section.get_by_role("table")
                if table.is_visible():  # opened at the size before: close it, to open it at this one
                    show.click()
                    expect(table).to_be_hidden()
                show.click()
                expect(table).to_be_visible()
                expect(table.locator("caption")).to_have_count(1)
                headers = table.get_by_role("columnheader")
                if size == "phone" and "cards-on-phone" in (table.get_attribute("class") or ""):
                    # One card a row: the headings stay for screen readers (clipped, not removed),
                    # and every number shows its column's name.
                    expect(headers.first).to_be_attached()
                    names = [name.strip() for name in headers.all_text_contents()]
                    label = table.locator("td[data-label]").first.get_attribute("data-label")
                    assert label in names[1:], (label, names)
                else:
                    expect(headers.first).to_be_visible()


def test_admin_review_fields_are_named(page, page_problems, transactional_db, live_server):
    seed_demo()
    url = demo_review_url()
    log_in_with_a_cookie(page, live_server, "physio")
    page.goto(url)
    # Each programme input is named by its column and its row, e.g. "Sets, prescription 1".
    def field(role: str, name: str):
        return page.get_by_role(role, name=name, exact=True)

    for size in VIEWPORTS:
        with resized(page, size):
            expect(field("combobox", "Exercise, prescription 1")).to_be_visible()
            expect(field("spinbutton", "Sets, prescription 1")).to_be_visible()
            expect(field("textbox", "Note to Anna")).to_be_visible()
            private = field("checkbox", "Private note: only the clinic sees it (not sent to the patient)")
            expect(private).not_to_be_checked()
    # Her measurements are read-only: no input for them on the review page.
    expect(page.locator('input[name^="girth_measurements-"]')).to_have_count(0)


def test_form_errors_are_tied_to_their_fields(page, page_problems, transactional_db, live_server):
    seed_demo()
    log_in_with_a_cookie(page, live_server, "demo")
    page.goto("/measurements/new/")
    left = page.get_by_label("Left calf, reading 1 (cm)")
    left.fill("NaN")
    page.get_by_label("Right calf, reading 1 (cm)").fill("95")
    page.get_by_role("button", name="Save measurement").click()

    expect(left).to_have_value("NaN")  # what she typed is kept
    expect(left).to_have_attribute("aria-invalid", "true")
    for field in (left, page.get_by_label("Right calf, reading 1 (cm)")):
        described_by = (field.get_attribute("aria-describedby") or "").split()
        messages = " ".join(page.locator(f"#{ident}").inner_text() for ident in described_by)
        assert "Enter" in messages, f"no error message tied to the field: {described_by} -> {messages!r}"
    assert_accessible(page, page_problems)


# What shows the keyboard focus: the focused element's outline, or for Bootstrap's toggle buttons
# (a visually hidden radio input + its label) the label's. Chromium's date-picker button inside a
# date input is skipped: it is drawn with the browser's own focus ring.
FOCUS_RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.type === "date" && !e.matches(":focus")) return null;
  const shown = e.classList.contains("btn-check") ? e.nextElementSibling : e;
  const style = getComputedStyle(shown);
  return [shown.outerHTML.slice(0, 120), style.outlineStyle, parseFloat(style.outlineWidth)];
}"""


@pytest.mark.parametrize("path", ["/measurements/new/", "/"], ids=["form", "dashboard"])
def test_focus_is_visible_on_links_buttons_and_fields(
    page, page_problems, transactional_db, live_server, path
):
    seed_demo()
    log_in_with_a_cookie(page, live_server, "demo")
    page.goto(path)
    for size in VIEWPORTS:
        with resized(page, size):
            page.reload()  # the page as loaded at this size, the focus back at its start
            seen = set()
            for _ in range(40):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUS_RING)
                if focused is None:
                    continue
                html, style, width = focused
                assert style != "none" and width >= 2, (
                    f"no clear focus ring on {html} at {size} size: outline {style} {width}px"
                )
                seen.add(html)
            assert len(seen) >= 10, (size, seen)
