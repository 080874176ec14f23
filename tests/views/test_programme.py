"""My programme (/programme/), the handout (/programme.pdf) and the private media view."""

import datetime
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    PhysioFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import text_of
from tests.media_files import image_bytes, mp4_bytes, upload
from tracker import formatting
from tracker.services.media import media_save
from tracker.services.programmes import add_programme

URL = reverse("programme")


@pytest.fixture
def assigned(patient, physio):
    patient.profile.physio = physio
    patient.profile.save()
    return patient


def log_today(patient, slug):
    session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now())
    ExerciseEntryFactory(session=session, exercise=exercise(slug))
    return session


def test_it_lists_each_prescription_with_dosage_how_to_and_drawing(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("eccentric-heel-drop-straight"), sets=3, reps=15,
                        times_per_week=14, side="left", notes="Slow on the way down")
    response = patient_client.get(URL)
    page = text_of(response)
    assert response.status_code == 200
    assert "Eccentric heel drop, knee straight" in page and "3 × 15 , twice a day, left leg" in page
    assert "Slow on the way down" in page
    for heading in ("Starting position", "The movement", "Tempo", "What you should feel", "Common mistakes",
                    "When to stop"):
        assert heading in page
    body = response.content.decode()
    assert 'src="/static/tracker/exercises/eccentric-heel-drop-straight.svg#start"' in body
    assert 'alt="Start: balls of the feet on the edge of a step' in body
    assert 'src="/static/tracker/exercises/eccentric-heel-drop-straight.svg#end"' in body
    assert 'alt="End: standing on the affected leg only' in body
    assert "Log today's programme" in body and reverse("session_new") in body


def test_an_open_warning_sign_pauses_today_and_says_why(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30,
                        times_per_week=7)
    log_today(patient, "soleus-stretch")
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_tear_pop=True)
    response = patient_client.get(URL)
    page = text_of(response)
    assert "Act on this today" in page and "Seek urgent medical care today" in page
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in page
    assert "Single-leg calf raise Paused" in page
    assert "Paused until you have been seen (see the warning above); 1 done today." in page
    assert "Soleus stretch Done today" in page
    assert "Due today" not in page and " due, " not in page
    body = response.content.decode()
    assert 'class="btn btn-primary"' not in body  # logging is not the next step
    assert "Log a session you have done" in body and "today's programme" not in body


def test_without_an_urgent_sign_nothing_is_paused(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    ExerciseEntryFactory(
        session=ExerciseSessionFactory(patient=patient, performed_at=timezone.now(), pain_after=8),
        exercise=exercise("single-leg-calf-raise"), pain_during=8,
    )
    SymptomLogFactory(patient=patient, date=timezone.localdate() - datetime.timedelta(days=3),
                      flag_tear_pop=True)  # closed: older than SYMPTOM_FLAG_DAYS
    page = text_of(patient_client.get(URL))
    assert "Act on this today" not in page and "Pause your calf exercises" not in page
    assert "Paused" not in page


def test_today_shows_what_is_due_and_what_is_done(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30,
                        times_per_week=7)
    log_today(patient, "single-leg-calf-raise")
    page = text_of(patient_client.get(URL))
    assert "Single-leg calf raise Done today" in page
    assert "Soleus stretch Due today" in page
    assert "1 due, 1 done" in page


def test_another_patients_session_does_not_count_as_done(patient_client, patient, other_patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    log_today(other_patient, "single-leg-calf-raise")
    assert "Single-leg calf raise Due today" in text_of(patient_client.get(URL))


def test_the_progression_says_why(patient_client, assigned, physio):
    start = timezone.localdate() - datetime.timedelta(days=20)  # week 3 of heavy slow resistance
    prescription = add_programme(patient=assigned, key="hsr", prescribed_by=physio, start=start)[0]
    prescription.step_number, prescription.sets, prescription.reps = 2, 3, 12
    prescription.save()
    for days in (12, 9, 5, 2):
        ExerciseSessionFactory(patient=assigned, performed_at=timezone.now() - datetime.timedelta(days=days),
                               pain_before=1, pain_after=3)
    page = html.unescape(text_of(patient_client.get(URL)))
    assert "Step 2 of 5: 3 × 12" in page
    assert ("Your pain during and after exercise stayed at 3/10 or less for 2 weeks: your physio's plan "
            "moves you to 4 × 10 next week, once your physiotherapist has approved it.") in page


def test_a_patient_without_a_programme_is_told_so(patient_client, patient):
    """Without a physio yet (she signed up herself), the page does not speak of one who will prescribe."""
    page = text_of(patient_client.get(URL))
    assert "No physiotherapist is assigned to you yet. Your clinic will assign one" in page
    assert "Your physiotherapist has not prescribed" not in page
    patient.profile.physio = PhysioFactory()
    patient.profile.save()
    assert "Your physiotherapist has not prescribed any exercises yet" in text_of(patient_client.get(URL))


def test_physio_media_show_to_her_patients_who_do_the_exercise(client, assigned, physio, other_patient):
    PrescriptionFactory(patient=assigned, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30)
    photo = media_save(upload=upload("a.jpg", image_bytes()), exercise=exercise("soleus-stretch"),
                       description="Back heel flat on the floor", uploaded_by=physio)
    client.force_login(assigned)
    body = client.get(URL).content.decode()
    assert reverse("media_file", args=[photo.pk]) in body and 'alt="Back heel flat on the floor"' in body
    response = client.get(reverse("media_file", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_patient)  # another physio's patient: not hers to see
    assert client.get(reverse("media_file", args=[photo.pk])).status_code == 404


def test_a_video_is_served_in_byte_ranges(client, assigned, physio):
    prescription = PrescriptionFactory(patient=assigned, exercise=exercise("soleus-stretch"), reps=None,
                                       hold_seconds=30)
    video = media_save(upload=upload("v.mp4", mp4_bytes()), exercise=exercise("soleus-stretch"),
                       prescription=prescription, description="Sinking down, heel stays down",
                       uploaded_by=physio)
    client.force_login(assigned)
    url = reverse("media_file", args=[video.pk])
    page = client.get(URL).content.decode()
    assert "<video" in page and "Video: Sinking down, heel stays down" in page
    whole = b"".join(client.get(url).streaming_content)
    response = client.get(url, HTTP_RANGE="bytes=4-11")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 4-11/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[4:12] == b"ftypisom"
    assert client.get(url, HTTP_RANGE="bytes=999999-").status_code == 416


def test_the_handout_is_a_pdf_with_each_exercise_and_its_steps(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("seated-calf-raise"), sets=3, reps=15)
    response = patient_client.get(reverse("programme_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "My exercise programme" in text and "Seated calf raise" in text
    assert "Keep your knees bent" in text and "When to stop" in text
    # The date once, as every page's header gives it, not again in other words in the text.
    today = formatting.day(timezone.localdate())
    assert f"printed {today}." in text and "Printed" not in text


def handout_text(client) -> str:
    response = client.get(reverse("programme_pdf"))
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_while_paused_the_handout_opens_with_the_warning_and_the_pause(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("seated-calf-raise"), sets=3, reps=15)
    assert "Act on this today" not in handout_text(patient_client)

    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    text = handout_text(patient_client)
    assert text.index("Act on this today") < text.index("Seated calf raise")  # before what to do
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in text
    assert "Seek urgent medical care today" in text


def test_a_pain_rule_broken_pauses_nothing_on_the_handout(patient_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("seated-calf-raise"), sets=3, reps=15)
    ExerciseEntryFactory(
        session=ExerciseSessionFactory(patient=patient, performed_at=timezone.now(), pain_after=8),
        exercise=exercise("seated-calf-raise"), pain_during=8,
    )
    text = handout_text(patient_client)
    assert "Act on this today" not in text and "Pause your calf exercises" not in text


def test_staff_go_to_the_admin(client, physio):
    client.force_login(physio)
    assert client.get(URL)["Location"] == reverse("admin:index")


def test_the_navigation_and_dashboard_link_to_it(patient_client):
    body = patient_client.get(reverse("dashboard")).content.decode()
    nav = body[body.index('id="main-nav"'):]
    assert nav.index(f'href="{URL}"') < nav.index(f'href="{reverse("dashboard")}"')  # first in the menu
    assert body.count(f'href="{URL}"') >= 3  # the menu, the card heading and the button
