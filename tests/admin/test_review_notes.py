"""The review page's conversation and note composer, read receipts, and its read-only records."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import text_of
from tracker.models import Message, PatientProfile, PhysioNote


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="physio_n", first_name="Priya", last_name="Shah")


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


@pytest.fixture
def anna(physio):
    anna = PatientFactory(username="anna", first_name="Anna", last_name="Runner")
    PatientProfile.objects.filter(user=anna).update(physio=physio)
    anna.profile.refresh_from_db()
    return anna


def change_url(patient) -> str:
    return reverse("admin:tracker_patientprofile_change", args=[patient.profile.pk])


def note_url(patient) -> str:
    return reverse("admin:tracker_patientprofile_note", args=[patient.profile.pk])


# --- the composer ------------------------------------------------------------------------------------


def test_a_new_note_goes_to_the_patient_by_default_and_marks_the_review(physio_client, physio, anna):
    page = physio_client.get(change_url(anna))
    form = page.context["note_form"]
    assert form.fields["private"].initial is None and not form["private"].value()  # unticked: visible
    assert "Note to Anna" in text_of(page)

    response = physio_client.post(note_url(anna), {"text": "Rest the raises for two days."}, follow=True)

    assert response.redirect_chain[-1][0] == change_url(anna)
    assert "Note sent to Anna; marked reviewed." in text_of(response)
    note = PhysioNote.objects.get()
    assert (note.author, note.visible_to_patient, note.is_review) == (physio, True, True)
    assert "Last review: " in text_of(response) and "by Priya Shah" in text_of(response)
    conversation = response.context["conversation"][1]
    assert [(item.author_name, item.text, item.private) for item in conversation] == [
        ("Priya Shah", "Rest the raises for two days.", False)
    ]


def test_a_private_note_is_one_tick_away_and_clearly_marked(physio_client, client, anna):
    response = physio_client.post(
        note_url(anna), {"text": "Ask the GP about thyroid history.", "private": "on"}, follow=True
    )
    page = text_of(response)
    assert "Private note saved (Anna does not see it); marked reviewed." in page
    assert "Private note: Anna does not see it" in page
    assert PhysioNote.objects.get().visible_to_patient is False
    client.force_login(anna)
    assert "thyroid" not in text_of(client.get("/messages/")) + text_of(client.get("/"))


def test_an_empty_note_saves_nothing(physio_client, anna):
    response = physio_client.post(note_url(anna), {"text": "  "}, follow=True)
    assert "No note saved: Write the note first." in text_of(response)
    assert not PhysioNote.objects.exists()


def test_only_her_physio_writes_notes(client, anna):
    other = PhysioFactory()
    client.force_login(other)
    assert client.post(note_url(anna), {"text": "Hello"}).status_code == 404
    assert not PhysioNote.objects.exists()


# --- the conversation and read receipts -----------------------------------------------------------------


def test_her_physio_opening_the_review_reads_her_messages(physio_client, physio, anna):
    MessageFactory(patient=anna, text="Can I run on Saturday?")
    response = physio_client.get(change_url(anna))
    page = text_of(response)
    assert "Can I run on Saturday?" in page and "New" in page  # marked new on this visit
    message = Message.objects.get()
    assert (message.read_by, message.read_at is not None) == (physio, True)
    assert "New" not in text_of(physio_client.get(change_url(anna))).split("Conversation with")[1][:200]


def test_a_superuser_looking_does_not_read_them_for_her_physio(admin_client, anna):
    MessageFactory(patient=anna)
    assert admin_client.get(change_url(anna)).status_code == 200
    assert Message.objects.get().read_at is None


def test_the_conversation_shows_read_receipts_both_ways(physio_client, physio, anna):
    read = PhysioNoteFactory(patient=anna, author=physio, text="Add 2 kg.", read_at=timezone.now())
    PhysioNoteFactory(patient=anna, author=physio, text="How is it going?")
    MessageFactory(patient=anna, text="Fine, thanks!", reply_to=read)
    page = text_of(physio_client.get(change_url(anna)))
    assert "Read by Anna Runner" in page  # her receipt of the first note
    assert "Not read yet" in page  # the second note
    assert "Read by Priya Shah" in page  # this visit read her message
    assert "In reply to the note of" in page


def test_older_items_are_folded_the_latest_five_open(physio_client, physio, anna):
    for n in range(8):
        sent = timezone.now() - datetime.timedelta(hours=10 - n)
        MessageFactory(patient=anna, text=f"message {n}", created_at=sent)
    earlier, latest = physio_client.get(change_url(anna)).context["conversation"]
    assert [item.text for item in latest] == [f"message {n}" for n in range(3, 8)]
    assert [item.text for item in earlier] == [f"message {n}" for n in range(3)]


def test_another_patients_conversation_never_shows(physio_client, physio, anna):
    olga = PatientFactory(username="olga", first_name="Olga")
    PatientProfile.objects.filter(user=olga).update(physio=physio)
    MessageFactory(patient=olga, text="Olga's question")
    PhysioNoteFactory(patient=olga, text="Olga's note")
    page = text_of(physio_client.get(change_url(anna)))
    assert "Olga" not in page


# --- read-only records, limping in words, the template picker -------------------------------------------


def test_her_records_are_read_only_and_limping_is_a_word(physio_client, anna):
    GirthMeasurementFactory(patient=anna, date=days_ago(1), left_1=Decimal("34.2"), right_1=Decimal("37.6"))
    SymptomLogFactory(patient=anna, date=days_ago(1), limping=False, flag_tear_pop=True)
    SymptomLogFactory(patient=anna, date=days_ago(2), limping=True)
    session = ExerciseSessionFactory(patient=anna, performed_at=timezone.now() - datetime.timedelta(days=1),
                                     pain_before=1, pain_after=4)
    ExerciseEntryFactory(session=session, exercise=exercise("single-leg-calf-raise"), sets=3, reps=12,
                         load_kg=Decimal("5.0"), pain_during=4)
    response = physio_client.get(change_url(anna))
    html = response.content.decode()
    assert 'name="girth_measurements-' not in html and 'name="symptom_logs-' not in html
    assert "icon-no.svg" not in html and "icon-yes.svg" not in html  # no red cross for "not limping"
    checkins = html.split('id="review-checkins-heading"')[1]
    assert '<td data-label="Limping">no</td>' in checkins and '<td data-label="Limping">yes</td>' in checkins
    page = text_of(response)
    assert "Single-leg calf raise Left 3 × 12 5 kg 4/10" in page  # sets, reps, load, pain during
    assert "pain 1 before, 4 after" in page
    assert "34.2 cm 37.6 cm -3.4 cm 91.0%" in page
    assert "Sudden tearing pain" in checkins


def test_the_template_picker_shows_only_without_a_programme(physio_client, anna):
    page = physio_client.get(change_url(anna)).content.decode()
    picker = page.split('class="module review-templates"')[1][:300]
    assert "Start a programme from a template" in picker and "<details>" not in picker
    PrescriptionFactory(patient=anna)
    page = physio_client.get(change_url(anna)).content.decode()
    assert "Start a programme from a template</h2>" not in page
    assert "Add exercises from a template programme" in page  # folded, still one click away


def test_the_summary_strip_is_the_dashboards_summary(physio_client, anna):
    GirthMeasurementFactory(patient=anna, date=days_ago(1), left_1=Decimal("34.2"), right_1=Decimal("37.6"))
    response = physio_client.get(change_url(anna))
    assert "admin/tracker/patientprofile/_summary_strip.html" in [t.name for t in response.templates]
    assert response.context["review"].girth.symmetry.lsi == 91.0
    assert "LSI 91.0%" in text_of(response)


def test_the_notes_list_names_authors_by_full_name(physio_client, physio, anna):
    PhysioNoteFactory(patient=anna, author=physio, text="Keep going.")
    page = text_of(physio_client.get("/admin/tracker/physionote/"))
    assert "Priya Shah" in page and "physio_n" not in page
