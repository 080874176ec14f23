"""The patient's /messages/ page: one conversation (her physio's notes and her messages), read
receipts both ways, writing a question or a reply, and "Ask <physio>" on her dashboard."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MessageFactory, PatientFactory, PhysioFactory, PhysioNoteFactory
from tests.helpers import text_of
from tracker.models import Message, PatientProfile, PhysioNote

URL = reverse("message_list")


@pytest.fixture
def physio(db):
    return PhysioFactory(username="priya", first_name="Priya", last_name="Shah")


@pytest.fixture
def anna(physio):
    anna = PatientFactory(username="anna", first_name="Anna", last_name="Runner")
    PatientProfile.objects.filter(user=anna).update(physio=physio)
    anna.profile.refresh_from_db()
    return anna


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    return client


def test_one_conversation_with_her_physio(anna_client, anna, physio):
    PhysioNoteFactory(patient=anna, author=physio, text="Add 2 kg to the raises.")
    PhysioNoteFactory(patient=anna, author=physio, text="Private: thyroid?", visible_to_patient=False)
    MessageFactory(patient=anna, text="Done, it felt fine.", read_at=timezone.now(), read_by=physio)
    response = anna_client.get(URL)
    page = text_of(response)
    assert "Messages with Priya Shah" in page
    assert "Add 2 kg to the raises." in page and "Done, it felt fine." in page
    assert "thyroid" not in page
    assert "Read by Priya Shah" in page
    assert 'id="write"' in response.content.decode() and "Your message to Priya Shah" in page


def test_opening_her_messages_reads_her_physios_notes(anna_client, anna, physio):
    note = PhysioNoteFactory(patient=anna, author=physio, text="How was the run?")
    private = PhysioNoteFactory(patient=anna, author=physio, visible_to_patient=False)
    anna_client.get(URL)
    note.refresh_from_db()
    private.refresh_from_db()
    assert note.read_at is not None and private.read_at is None
    assert note.history.first().history_user == anna  # the receipt is in the audit history


def test_she_writes_to_her_physio(anna_client, anna):
    response = anna_client.post(URL, {"text": "Can I run on Saturday?"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Message sent to Priya Shah." in text_of(response)
    message = Message.objects.get()
    assert (message.patient, message.text, message.read_at) == (anna, "Can I run on Saturday?", None)
    assert message.history.count() == 1
    assert "Not read yet" in text_of(response)


def test_she_replies_to_a_note(anna_client, anna, physio):
    note = PhysioNoteFactory(patient=anna, author=physio, text="Rest two days.")
    page = anna_client.get(f"{URL}?reply_to={note.pk}")
    assert "Reply to the note of" in text_of(page) and "Rest two days." in text_of(page)
    anna_client.post(URL, {"text": "OK, resting.", "reply_to": note.pk})
    assert Message.objects.get().reply_to == note
    assert "In reply to the note of" in text_of(anna_client.get(URL))


@pytest.mark.parametrize("which", ["other patient's note", "private note", "not a number"])
def test_she_cannot_reply_to_a_note_that_is_not_hers_to_read(anna_client, anna, physio, which):
    if which == "other patient's note":
        target = PhysioNoteFactory(patient=PatientFactory(), text="Olga's note").pk
    elif which == "private note":
        target = PhysioNoteFactory(patient=anna, visible_to_patient=False, text="Private").pk
    else:
        target = "abc"
    page = text_of(anna_client.get(f"{URL}?reply_to={target}"))
    assert "Olga's note" not in page and "Reply to the note of" not in page
    anna_client.post(URL, {"text": "Hello", "reply_to": target})
    assert Message.objects.get().reply_to is None  # sent as a plain message


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_message_is_refused(anna_client, text):
    response = anna_client.post(URL, {"text": text})
    assert response.status_code == 200
    assert not Message.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_without_a_physio_there_is_nobody_to_write_to(client, db):
    alone = PatientFactory(username="alone")
    client.force_login(alone)
    page = text_of(client.get(URL))
    assert "No physiotherapist is assigned to you yet" in page
    client.post(URL, {"text": "Hello?"})
    assert not Message.objects.exists()


def test_she_sees_only_her_own_conversation(anna_client, physio):
    olga = PatientFactory(username="olga", first_name="Olga", last_name="Other")
    PatientProfile.objects.filter(user=olga).update(physio=physio)
    MessageFactory(patient=olga, text="Olga's message")
    PhysioNoteFactory(patient=olga, author=physio, text="Olga's note")
    page = text_of(anna_client.get(URL))
    assert "Olga" not in page


def test_the_dashboard_asks_and_replies(anna_client, anna, physio):
    note = PhysioNoteFactory(patient=anna, author=physio, text="Good week.")
    html = anna_client.get("/").content.decode()
    assert f'href="{URL}#write">Ask Priya</a>' in html
    assert f'href="{URL}?reply_to={note.pk}#write">Reply' in html
    response = anna_client.post(reverse("note_read", args=[note.pk]), follow=True)
    assert "Note marked as read." in text_of(response)
    assert PhysioNote.objects.get().read_at is not None


def test_the_menu_links_to_messages(anna_client):
    assert f'href="{URL}">Messages</a>' in anna_client.get("/").content.decode()
