"""/api/v1/programme/ (today's plan, steps, next step and why), exercise how-tos, and /api/v1/media/."""

import datetime

from django.utils import timezone

from tests.api.conftest import token_client
from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    PhysioFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import make_patient
from tests.media_files import image_bytes, upload
from tracker.services.media import media_save
from tracker.services.programmes import add_programme

PROGRAMME = "/api/v1/programme/"


def test_the_plan_says_what_is_due_and_done_today(api, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30,
                        times_per_week=14)
    ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient, performed_at=timezone.now()),
                         exercise=exercise("single-leg-calf-raise"))
    body = api.get(PROGRAMME).json()
    assert body["patient"] == patient.pk and body["date"] == timezone.localdate().isoformat()
    today = {item["exercise"]["slug"]: item["today"] for item in body["plan"]}
    assert today["single-leg-calf-raise"] == {"state": "done", "due": 1, "done": 1, "words": "Done today"}
    assert today["soleus-stretch"] == {"state": "due", "due": 2, "done": 0, "words": "Due twice today"}


def test_an_open_warning_sign_pauses_the_plan(api, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), times_per_week=7)
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    [item] = api.get(PROGRAMME).json()["plan"]
    assert item["today"] == {"state": "paused", "due": 0, "done": 0, "words": "Paused"}


def test_each_item_has_the_how_to_the_drawing_and_the_next_step_with_its_reason(api, patient):
    physio = PhysioFactory()
    start = timezone.localdate() - datetime.timedelta(days=3)
    add_programme(patient=patient, key="hsr", prescribed_by=physio, start=start)
    plan = api.get(PROGRAMME).json()["plan"]
    item = next(i for i in plan if i["exercise"]["slug"] == "heavy-slow-calf-raise")
    how = item["exercise"]
    assert 3 <= len(how["steps"]) <= 5 and how["tempo"].startswith("3 seconds up")
    assert how["common_mistakes"] and how["when_to_stop"] and how["starting_position"]
    assert how["illustration"]["url"].endswith("/static/tracker/exercises/heavy-slow-calf-raise.svg")
    assert how["illustration"]["alt"].startswith("Start:")
    assert [s["dosage"] for s in item["steps"]] == ["3 × 15", "3 × 12", "4 × 10", "4 × 8", "4 × 6"]
    assert item["current_step"] == 1 and item["week"] == 1 and item["how_often"] == "3 times a week"
    assert item["next_step"]["action"] == "hold"
    assert item["next_step"]["step"] == {"number": 2, "start_week": 2, "dosage": "3 × 12"}
    assert item["next_step"]["reason"].startswith("Log your pain with every session")


def test_the_media_a_patient_may_fetch_are_listed_and_fetchable(api, patient):
    physio = PhysioFactory()
    patient.profile.physio = physio
    patient.profile.save()
    prescription = PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), reps=None,
                                       hold_seconds=30)
    mine = media_save(upload=upload("m.jpg", image_bytes()), exercise=prescription.exercise,
                      prescription=prescription, description="Yours", uploaded_by=physio)
    stranger = PhysioFactory()  # another physio's upload for the same exercise: not for her
    media_save(upload=upload("s.jpg", image_bytes()), exercise=prescription.exercise, description="Not hers",
               uploaded_by=stranger)
    item = api.get(PROGRAMME).json()["plan"][0]
    assert [m["description"] for m in item["exercise"]["media"]] == ["Yours"]
    url = item["exercise"]["media"][0]["url"]
    assert url.endswith(f"/api/v1/media/{mine.pk}/")
    response = api.get(url, HTTP_ACCEPT="image/jpeg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    other = token_client(make_patient(stranger))
    assert other.get(url).status_code == 404
    refused = other.get(url, HTTP_ACCEPT="image/jpeg")
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"


def test_a_physio_reads_her_patients_programme(physio_api, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("seated-calf-raise"))
    body = physio_api.get(PROGRAMME, {"patient": patient.pk}).json()
    assert [i["exercise"]["slug"] for i in body["plan"]] == ["seated-calf-raise"]
    assert physio_api.get(PROGRAMME).status_code == 400


def test_the_library_gives_every_exercise_its_how_to(api):
    exercises = api.get("/api/v1/exercises/", {"page_size": 100}).json()["results"]
    assert len(exercises) == 12
    for item in exercises:
        assert 3 <= len(item["steps"]) <= 5, item["slug"]
        assert item["starting_position"] and item["tempo"] and item["what_you_feel"]
        assert item["common_mistakes"] and item["when_to_stop"] and item["illustration"]["alt"]
