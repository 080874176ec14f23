"""Programme templates with their steps, and steps that apply by themselves."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from tests.factories import ExerciseEntryFactory, ExerciseSessionFactory, PhysioFactory, SymptomLogFactory
from tracker import metrics
from tracker.models import ExerciseSession
from tracker.services.programmes import add_programme, due_steps_apply
from tracker.services.sessions import save_session

TODAY = timezone.localdate()


def calm_sessions(patient, days=(12, 9, 5, 2)):
    for n in days:
        ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=n),
                               pain_before=1, pain_after=2)


def test_alfredson_prescribes_both_heel_drops_twice_daily_with_5_kg_load_steps(patient):
    created = add_programme(patient=patient, key="alfredson", prescribed_by=PhysioFactory(), start=TODAY)
    assert {p.exercise.slug for p in created} == {"eccentric-heel-drop-straight", "eccentric-heel-drop-bent"}
    for prescription in created:
        assert (prescription.sets, prescription.reps, prescription.times_per_week) == (3, 15, 14)
        assert prescription.load_step_kg == 5 and prescription.progression == "approval"
        assert prescription.end_date == TODAY + datetime.timedelta(weeks=12)


def test_a_due_step_applies_by_itself_in_auto_mode_with_its_reason(patient):
    start = TODAY - datetime.timedelta(days=8)
    prescription = add_programme(patient=patient, key="hsr", prescribed_by=PhysioFactory(), start=start,
                                 mode="auto")[0]
    calm_sessions(patient)
    assert due_steps_apply(patient=patient, today=TODAY)
    prescription.refresh_from_db()
    assert (prescription.step_number, prescription.sets, prescription.reps) == (2, 3, 12)
    assert prescription.step_reason.startswith("Your pain during and after exercise stayed at 2/10 or less")
    assert "by your physio's plan" in prescription.step_reason
    assert due_steps_apply(patient=patient, today=TODAY) == []  # taken once only


def test_an_open_warning_sign_holds_a_step_that_would_apply_by_itself(patient):
    start = TODAY - datetime.timedelta(days=8)
    prescription = add_programme(patient=patient, key="hsr", prescribed_by=PhysioFactory(), start=start,
                                 mode="auto")[0]
    calm_sessions(patient)
    SymptomLogFactory(patient=patient, date=TODAY, flag_tear_pop=True)
    assert due_steps_apply(patient=patient, today=TODAY) == []
    prescription.refresh_from_db()
    assert prescription.step_number == 1
    later = TODAY + datetime.timedelta(days=metrics.SYMPTOM_FLAG_DAYS + 1)  # the sign has closed
    assert due_steps_apply(patient=patient, today=later)


def test_a_step_waiting_for_approval_or_held_by_pain_is_not_taken(patient):
    start = TODAY - datetime.timedelta(days=8)
    waiting = add_programme(patient=patient, key="hsr", prescribed_by=PhysioFactory(), start=start)[0]
    calm_sessions(patient)
    assert due_steps_apply(patient=patient, today=TODAY) == []
    waiting.progression = "auto"
    waiting.save()
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ExerciseSessionFactory(patient=patient, performed_at=yesterday, pain_after=7)
    assert due_steps_apply(patient=patient, today=TODAY) == []


def test_logging_a_session_and_the_daily_command_take_due_steps(patient):
    start = TODAY - datetime.timedelta(days=8)
    prescription = add_programme(patient=patient, key="hsr", prescribed_by=PhysioFactory(), start=start,
                                 mode="auto")[0]
    calm_sessions(patient, days=(12, 9, 5))
    session = ExerciseSession(performed_at=timezone.now(), pain_before=1, pain_after=2)
    entry = ExerciseEntryFactory.build(exercise=prescription.exercise, reps=15, pain_during=2)
    save_session(patient=patient, session=session, entries=[entry])
    prescription.refresh_from_db()
    assert prescription.step_number == 2
    out = io.StringIO()
    call_command("apply_progressions", stdout=out)
    assert "0 prescription(s) moved on." in out.getvalue()


def test_the_morning_job_takes_due_steps_nobody_logged_a_session_for(patient):
    from tracker import tasks

    start = TODAY - datetime.timedelta(days=8)
    prescription = add_programme(patient=patient, key="hsr", prescribed_by=PhysioFactory(), start=start,
                                 mode="auto")[0]
    calm_sessions(patient, days=(12, 9, 5))
    tasks.apply_progressions.call_local()
    prescription.refresh_from_db()
    assert prescription.step_number == 2
