"""The stamp of a physio's caseload (selectors.versions.caseload_version): the triage home is kept in
the cache under it, so every change the home could show must change it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import make_patient
from tracker.models import PatientProfile, TriageSeen
from tracker.selectors import versions
from tracker.services.messages import mark_messages_read, mark_notes_read
from tracker.services.triage import mark_seen

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio():
    return PhysioFactory(username="stamp_physio")


@pytest.fixture
def anna(physio):
    patient = make_patient(physio, username="anna", first_name="Anna")
    GirthMeasurementFactory(patient=patient)
    ExerciseSessionFactory(patient=patient)
    SymptomLogFactory(patient=patient)
    PrescriptionFactory(patient=patient, exercise=exercise("eccentric-heel-drop-straight"))
    MessageFactory(patient=patient)
    PhysioNoteFactory(patient=patient, author=physio)
    QuestionnaireAssignmentFactory(patient=patient)
    return patient


def stamp(physio) -> str:
    return versions.caseload_version(PatientProfile.objects.filter(physio=physio), reviewer=physio)


def edit(record, **fields) -> None:
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


WRITES = {
    "a new girth measurement": lambda p, a: GirthMeasurementFactory(patient=a, left_1=Decimal("41.0")),
    "a girth measurement edited": lambda p, a: edit(a.girth_measurements.get(), left_1=Decimal("40.0")),
    "a girth measurement deleted": lambda p, a: a.girth_measurements.get().delete(),
    "a heel-rise test": lambda p, a: HeelRiseTestFactory(patient=a),
    "a session": lambda p, a: ExerciseSessionFactory(patient=a, pain_after=8),
    "a session deleted": lambda p, a: a.exercise_sessions.get().delete(),
    "a check-in with a red flag": lambda p, a: SymptomLogFactory(
        patient=a, date=timezone.localdate() - datetime.timedelta(days=3), flag_dvt_signs=True),
    "a check-in edited": lambda p, a: edit(a.symptom_logs.get(), flag_dvt_signs=True),
    "a questionnaire answered": lambda p, a: QuestionnaireResponseFactory(patient=a),
    "a questionnaire's schedule changed": lambda p, a: edit(
        a.questionnaire_assignments.get(), repeat_weeks=8),
    "a prescription added": lambda p, a: PrescriptionFactory(
        patient=a, exercise=exercise("single-leg-calf-raise")),
    "a prescription edited": lambda p, a: edit(a.prescriptions.get(), sets=5),
    "a message from her": lambda p, a: MessageFactory(patient=a, text="Is it normal?"),
    "her messages read": lambda p, a: mark_messages_read(a, reader=p),
    "a note to her": lambda p, a: PhysioNoteFactory(patient=a, author=p),
    "a review marked": lambda p, a: PhysioNoteFactory(patient=a, author=p, is_review=True),
    "the physio's notes read by her": lambda p, a: mark_notes_read(a),
    "marked seen": lambda p, a: mark_seen(physio=p, patient=a, as_of=timezone.now()),
    "her condition": lambda p, a: edit(a.profile, condition="Achilles tendinopathy"),
    "her name": lambda p, a: edit(a, first_name="Annabel"),
    "her affected side, without a history row": lambda p, a: PatientProfile.objects.filter(user=a).update(
        affected_side="right"),
    "she moves to another physio": lambda p, a: PatientProfile.objects.filter(user=a).update(
        physio=PhysioFactory()),
    "a new patient assigned": lambda p, a: make_patient(p),
    "an unassigned patient taken on (the admin's action, an update)": lambda p, a: (
        PatientProfile.objects.filter(user=PatientFactory()).update(physio=p)),
    "an exercise renamed": lambda p, a: edit(exercise("eccentric-heel-drop-straight"), name="Heel drops"),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_change_the_home_could_show_changes_the_stamp(physio, anna, write):
    before = stamp(physio)
    assert stamp(physio) == before  # nothing changed: the same stamp

    WRITES[write](physio, anna)

    assert stamp(physio) != before


def test_the_date_is_in_the_stamp(physio, anna, monkeypatch):
    before = stamp(physio)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(versions.timezone, "localdate", lambda *args: tomorrow)
    assert stamp(physio) != before


def test_another_physios_patients_and_marks_leave_it_as_it_is(physio, anna):
    other = PhysioFactory()
    bob = make_patient(other, username="bob")
    before = stamp(physio)

    GirthMeasurementFactory(patient=bob)
    MessageFactory(patient=bob)
    TriageSeen.objects.create(physio=other, patient=anna, seen_at=timezone.now())  # another's "seen"

    assert stamp(physio) == before


def test_two_queries_whatever_the_number_of_patients(physio, anna, django_assert_num_queries):
    for _ in range(5):
        make_patient(physio)
    with django_assert_num_queries(2):
        stamp(physio)
