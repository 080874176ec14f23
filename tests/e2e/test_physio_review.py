"""Journey 6: the physio's day. She logs in and sees demo's red flag first on her triage home, opens
demo's review and writes her a note (visible by default); demo reads it and replies; the physio
finds the reply on her triage home. At desktop and phone size, nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    DEMO_PASSWORD,
    assert_no_horizontal_scroll,
    assert_reachable,
    log_in,
    open_menu_if_collapsed,
    seed_demo,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# With a link longer than a phone is wide: it must wrap, not push the page sideways.
NOTE = ("Please stop the single-leg raises and see your GP today about the warm, swollen calf. The leaflet: "
        "https://clinic.example/leaflets/dvt?source=calfrehabtracker&token=0123456789abcdef0123456789abcdef")
REPLY = "Thank you, I have an appointment at 4 pm. I will tell you what the GP says."


def cards(page):
    return page.locator("ol.triage-list > li")


def log_out_of_the_admin(page) -> None:
    logout = page.get_by_role("button", name="Log out")
    assert_reachable(page, logout)
    logout.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_physio_sees_the_red_flag_first_writes_a_note_and_finds_the_reply(page, transactional_db):
    seed_demo()
    log_in(page, "physio", DEMO_PASSWORD)

    # Her home: who needs her today, the urgent red flag first.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who needs you today")
    assert_no_horizontal_scroll(page)
    first = cards(page).first
    expect(first.get_by_role("heading", level=2)).to_have_text("Anna Runner")
    expect(first.locator(".triage-reasons > li").first).to_have_text(
        re.compile(r"^urgent: ticked “calf red, warm, swollen and painful” \(yesterday\)$")
    )
    expect(first).to_contain_text("new message from Anna")
    expect(cards(page).nth(1).get_by_role("heading", level=2)).to_have_text("Maria Lopez")
    expect(page.get_by_role("region", name="The rest of your caseload")).to_contain_text("Tom Baseline")

    # Her review: summary, then the conversation with the question, then the note composer.
    first.get_by_role("link", name="Open review: Anna Runner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Anna Runner")
    conversation = page.get_by_role("region", name="Conversation with Anna Runner")
    expect(conversation).to_contain_text("My left calf has been warm and a bit swollen")
    note = page.get_by_label("Note to Anna")
    assert_reachable(page, note)
    expect(page.get_by_label(re.compile(r"^Private note"))).not_to_be_checked()  # visible by default
    note.fill(NOTE)
    save = page.get_by_role("button", name="Save note and mark reviewed")
    assert_reachable(page, save)
    save.click()
    expect(page.locator(".messagelist")).to_contain_text("Note sent to Anna; marked reviewed.")
    expect(conversation).to_contain_text(NOTE)
    expect(conversation.locator(".conversation-item").last).to_contain_text("Not read yet")
    assert_no_horizontal_scroll(page)
    log_out_of_the_admin(page)

    # Anna reads it on her dashboard and replies from there.
    log_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anna")
    banner = page.get_by_role("region", name="New note from your physiotherapist").filter(has_text=NOTE)
    expect(banner).to_contain_text("New note from Priya Shah")
    assert_no_horizontal_scroll(page)
    reply = banner.get_by_role("link", name="Reply to this note")
    assert_reachable(page, reply)
    reply.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Priya Shah")
    expect(page.get_by_role("heading", name=re.compile(r"^Reply to the note of"))).to_be_visible()
    expect(page.get_by_role("list", name="Latest notes and messages")).to_contain_text(NOTE)
    page.get_by_label("Your message to Priya Shah").fill(REPLY)
    send = page.get_by_role("button", name="Send to Priya Shah")
    assert_reachable(page, send)
    send.click()
    expect(page.get_by_role("status").first).to_contain_text("Message sent to Priya Shah.")
    mine = page.get_by_role("article", name=re.compile(r"^Your message")).last
    expect(mine).to_contain_text(REPLY)
    expect(mine).to_contain_text("Not read yet")
    expect(mine).to_contain_text("In reply to the note of")
    assert_no_horizontal_scroll(page)
    page.goto("/")
    banners = page.get_by_role("region", name="New note from your physiotherapist")
    expect(banners.filter(has_text=NOTE)).to_have_count(0)  # read

    # The physio finds the reply on her home; opening the review sends Anna the read receipt.
    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Log out demo").click()
    log_in(page, "physio", DEMO_PASSWORD)
    first = cards(page).first
    expect(first.get_by_role("heading", level=2)).to_have_text("Anna Runner")
    expect(first).to_contain_text(f"new message from Anna: “{REPLY[:40]}")
    first.get_by_role("link", name="Open review: Anna Runner").click()
    conversation = page.get_by_role("region", name="Conversation with Anna Runner")
    items = conversation.locator(".conversation-item")
    expect(items.filter(has_text=NOTE)).to_contain_text("Read by Anna Runner")
    expect(items.last).to_contain_text("Read by Priya Shah")
