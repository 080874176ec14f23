"""The shared exercise library (who may change an exercise), uploads in the admin, and programme steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseFactory,
    PhysioFactory,
    PrescriptionFactory,
    UserFactory,
    exercise,
)
from tests.helpers import make_patient, text_of
from tests.media_files import image_bytes, mp4_bytes, upload
from tracker.models import Exercise, ExerciseMedia, ExerciseSession, Prescription
from tracker.services.media import media_save
from tracker.services.programmes import add_programme


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:tracker_{obj._meta.model_name}_change", args=[obj.pk])


def exercise_form(obj: Exercise, **changes) -> dict:
    data = {field: getattr(obj, field) for field in (
        "name", "slug", "kind", "target", "knee_position", "measured_in", "default_dosage", "default_sets",
        "default_amount", "instructions", "starting_position", "steps", "tempo", "what_you_feel",
        "common_mistakes", "when_to_stop", "illustration")}
    return {**data, **changes}


# --- the renaming attack of issue 15 ---------------------------------------------------------------


def test_a_physio_cannot_rename_a_library_exercise_other_patients_use(physio_client, physio):
    other_physio = PhysioFactory()
    victim = make_patient(other_physio)
    library = Exercise.objects.order_by("pk")[1]  # "exercise 2"
    PrescriptionFactory(patient=victim, exercise=library)
    attack = exercise_form(library, name="STOP all exercise - see GP", measured_in="seconds")
    response = physio_client.post(change_url(library), attack)
    assert response.status_code == 403
    library.refresh_from_db()
    assert library.name != "STOP all exercise - see GP" and library.measured_in == "reps"
    page = physio_client.get(change_url(library))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()  # read-only view


def test_a_physio_cannot_rename_an_unused_library_exercise_either(physio_client):
    library = exercise("foam-rolling-calf")
    response = physio_client.post(change_url(library), exercise_form(library, name="Renamed"))
    assert response.status_code == 403


def test_nor_revert_it_through_its_history(physio_client):
    library = exercise("foam-rolling-calf")
    version = library.history.latest("history_date")
    url = reverse("admin:tracker_exercise_simple_history", args=[library.pk, version.history_id])
    assert physio_client.get(url).status_code == 200
    assert physio_client.post(url, exercise_form(library, name="Renamed")).status_code == 403


def test_a_physio_adds_an_exercise_and_edits_it_while_only_her_patients_use_it(physio_client, physio):
    response = physio_client.post(reverse("admin:tracker_exercise_add"), exercise_form(
        Exercise(name="Toe walking", slug="toe-walking", kind="strength", target="triceps_surae",
                 knee_position="straight", measured_in="minutes", default_sets=1, default_amount=2,
                 steps="Rise onto your toes.\nWalk slowly.\nKeep tall."),
    ))
    assert response.status_code == 302
    added = Exercise.objects.get(slug="toe-walking")
    assert added.created_by == physio
    PrescriptionFactory(patient=make_patient(physio), exercise=added, reps=None, minutes=2)
    response = physio_client.post(change_url(added), exercise_form(added, name="Toe walking, slow"))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.name == "Toe walking, slow"
    assert [h.name for h in added.history.order_by("history_date")] == ["Toe walking", "Toe walking, slow"]


def test_her_own_exercise_locks_once_another_physios_patient_uses_it(physio_client, physio):
    own = ExerciseFactory(created_by=physio)
    ExerciseEntryFactory(session__patient=make_patient(PhysioFactory()), exercise=own)
    assert physio_client.post(change_url(own), exercise_form(own, name="Changed")).status_code == 403


def test_a_superuser_may_edit_the_library_but_not_change_a_used_unit(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    library = exercise("single-leg-calf-raise")
    ExerciseEntryFactory(exercise=library)
    response = client.post(change_url(library), exercise_form(library, measured_in="seconds"))
    assert response.status_code == 200 and "the unit cannot change" in text_of(response)
    response = client.post(change_url(library), exercise_form(library, tempo="Slow and steady"))
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.tempo == "Slow and steady"


# --- uploads -------------------------------------------------------------------------------------------


def add_media(client, **data):
    return client.post(reverse("admin:tracker_exercisemedia_add"),
                       {"exercise": exercise("soleus-stretch").pk, "description": "Heel down", **data})


def test_a_physio_uploads_a_photo_for_one_patients_prescription(physio_client, physio, media_root):
    prescription = PrescriptionFactory(patient=make_patient(physio), exercise=exercise("soleus-stretch"),
                                       reps=None, hold_seconds=30)
    response = add_media(physio_client, prescription=prescription.pk,
                         upload=upload("IMG_0001.HEIC.jpg", image_bytes("PNG")))
    assert response.status_code == 302
    media = ExerciseMedia.objects.get()
    assert (media.prescription, media.uploaded_by, media.content_type) == (prescription, physio, "image/png")
    assert list(media_root.rglob("*.png"))
    listing = physio_client.get(reverse("admin:tracker_exercisemedia_changelist"))
    assert reverse("media_file", args=[media.pk]) in listing.content.decode()


def test_a_video_for_the_exercise(physio_client):
    assert add_media(physio_client, upload=upload("clip.mp4", mp4_bytes())).status_code == 302
    assert ExerciseMedia.objects.get().kind == "video"


def test_a_disguised_file_gets_a_clear_message_and_nothing_is_stored(physio_client, media_root):
    response = add_media(physio_client, upload=upload("photo.jpg", b"<!doctype html><p>hi</p>", "image/jpeg"))
    assert response.status_code == 200
    assert "its contents are something else, whatever its name says" in text_of(response)
    assert not ExerciseMedia.objects.exists() and not list(media_root.rglob("*.*"))


def test_another_physios_patient_cannot_be_chosen_nor_her_media_seen(physio_client, physio):
    other = PhysioFactory()
    theirs = PrescriptionFactory(patient=make_patient(other), exercise=exercise("soleus-stretch"),
                                 reps=None, hold_seconds=30)
    response = add_media(physio_client, prescription=theirs.pk, upload=upload("a.jpg", image_bytes()))
    assert response.status_code == 200 and not ExerciseMedia.objects.exists()
    media = media_save(upload=upload("b.jpg", image_bytes()), exercise=theirs.exercise, prescription=theirs,
                       description="hers", uploaded_by=other)
    assert physio_client.get(change_url(media)).status_code == 404
    assert physio_client.get(reverse("media_file", args=[media.pk])).status_code == 404


# --- programme steps ----------------------------------------------------------------------------------


def test_starting_hsr_creates_the_five_steps_and_the_physio_can_edit_them(physio_client, physio):
    patient = make_patient(physio)
    url = reverse("admin:tracker_patientprofile_programme", args=[patient.profile.pk])
    start = timezone.localdate().isoformat()
    physio_client.post(url, {"template": "hsr", "start_date": start, "mode": "auto"})
    prescription = Prescription.objects.get(patient=patient, exercise__slug="heavy-slow-calf-raise")
    assert prescription.progression == "auto" and prescription.step_number == 1
    assert [(s.start_week, s.sets, s.amount) for s in prescription.steps.all()] == [
        (1, 3, 15), (2, 3, 12), (4, 4, 10), (6, 4, 8), (9, 4, 6)]
    page = physio_client.get(change_url(prescription)).content.decode()
    assert "steps-0-start_week" in page and "Next steps" not in page


def test_the_physio_approves_a_step_that_waits_for_her(physio_client, physio):
    patient = make_patient(physio)
    start = timezone.localdate() - datetime.timedelta(days=8)
    prescription = add_programme(patient=patient, key="hsr", prescribed_by=physio, start=start)[0]
    for days in (6, 3):
        moment = timezone.now() - datetime.timedelta(days=days)
        ExerciseSession.objects.create(patient=patient, performed_at=moment, pain_before=1, pain_after=2)
    page = text_of(physio_client.get(change_url(prescription)))
    assert "Waiting for your approval" in page
    physio_client.post(reverse("admin:tracker_prescription_changelist"),
                       {"action": "approve_next_step", "_selected_action": [prescription.pk]})
    prescription.refresh_from_db()
    assert (prescription.step_number, prescription.sets, prescription.reps) == (2, 3, 12)
    assert prescription.step_reason.startswith("Your pain during and after exercise stayed at 2/10 or less")
    assert f"approved by {physio.display_name()}" in prescription.step_reason
    latest = prescription.history.latest("history_date")
    assert latest.step_reason == prescription.step_reason
    assert latest.history_change_reason == f"Moved on to 3 × 12, approved by {physio.display_name()}"
