"""/api/v1/messages/: her conversation (newest first), writing to her physio, read receipts."""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import error_messages, token_client
from tests.factories import MessageFactory, PatientFactory, PhysioFactory, PhysioNoteFactory
from tracker.models import Message, PhysioNote

URL = "/api/v1/messages/"
READ_URL = "/api/v1/messages/read/"


@pytest.fixture
def assigned(patient, physio):
    patient.profile.physio = physio
    patient.profile.save()
    physio.first_name, physio.last_name = "Priya", "Shah"
    physio.save()
    return patient


def test_the_conversation_newest_first_without_private_notes(api, assigned, physio):
    note = PhysioNoteFactory(patient=assigned, author=physio, text="Add 2 kg.",
                             created_at=timezone.now() - datetime.timedelta(hours=2))
    PhysioNoteFactory(patient=assigned, author=physio, text="Private", visible_to_patient=False)
    MessageFactory(patient=assigned, text="Done!", reply_to=note, read_at=timezone.now(), read_by=physio)
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["kind"], first["text"], first["from_physio"]) == ("message", "Done!", False)
    assert first["reply_to"] == note.pk
    assert first["read_by"] == "Priya Shah" and first["read_at"] is not None
    assert (second["kind"], second["author"], second["read_at"]) == ("note", "Priya Shah", None)


def test_she_sends_a_message_and_a_reply(api, assigned, physio):
    note = PhysioNoteFactory(patient=assigned, author=physio)
    response = api.post(URL, {"text": "Can I run?", "reply_to": note.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["reply_to"] == note.pk and response.json()["kind"] == "message"
    message = Message.objects.get()
    assert (message.patient, message.reply_to) == (assigned, note)


@pytest.mark.parametrize(("body", "field"), [
    ({"text": ""}, "text"),
    ({"text": "x" * 2001}, "text"),
    ({"text": "Hi", "reply_to": 999999}, "reply_to"),
    ({}, "text"),
])
def test_bad_messages_are_refused(api, assigned, body, field):
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert error_messages(response, field)
    assert not Message.objects.exists()


def test_replying_to_another_patients_note_is_refused(api, assigned):
    other_note = PhysioNoteFactory(patient=PatientFactory())
    response = api.post(URL, {"text": "Hi", "reply_to": other_note.pk}, format="json")
    assert response.status_code == 400
    assert error_messages(response, "reply_to") == ["No note with this id was sent to you."]


def test_without_a_physio_she_cannot_write(api, patient):
    response = api.post(URL, {"text": "Hello?"}, format="json")
    assert response.status_code == 400
    assert error_messages(response, "non_field_errors") == ["No physiotherapist is assigned to you yet."]


def test_marking_her_notes_read(api, assigned, physio):
    PhysioNoteFactory(patient=assigned, author=physio)
    PhysioNoteFactory(patient=assigned, author=physio, visible_to_patient=False)
    response = api.post(READ_URL)
    assert response.status_code == 200 and response.json() == {"marked_read": 1}
    assert PhysioNote.objects.filter(read_at__isnull=False).count() == 1


def test_her_physio_reads_the_conversation_but_cannot_write_or_mark_it_read(physio_api, patient):
    MessageFactory(patient=patient, text="Question")
    assert physio_api.get(f"{URL}?patient={patient.pk}").json()["results"][0]["text"] == "Question"
    assert physio_api.post(f"{URL}?patient={patient.pk}", {"text": "x"}, format="json").status_code == 403
    assert physio_api.post(f"{READ_URL}?patient={patient.pk}").status_code == 403
    assert Message.objects.get().read_at is None  # reading through the API is not a receipt


def test_another_physio_and_another_patient_never_see_it(patient, other_patient, physio):
    patient.profile.physio = physio
    patient.profile.save()
    MessageFactory(patient=patient, text="Anna's secret question")
    outsider = token_client(PhysioFactory())
    assert outsider.get(f"{URL}?patient={patient.pk}").status_code == 404
    olga = token_client(other_patient).get(URL)
    assert olga.status_code == 200 and olga.json()["count"] == 0
    assert "secret" not in olga.content.decode()
