"""What is due, her summaries, and the two hooks: due_questionnaires (reminders) and triage_reasons."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PatientFactory, QuestionnaireAssignmentFactory, QuestionnaireResponseFactory
from tracker.selectors.questionnaires import due_questionnaires, summaries, summaries_for, triage_reasons
from tracker.services import questionnaires as services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def submitted(patient, assignment, day: datetime.date, score: int | None = 40, instrument: str = "LEFS"):
    answers = {f"q{n}": 2 for n in range(1, 21)} if instrument == "LEFS" else {}
    return QuestionnaireResponseFactory(
        patient=patient, assignment=assignment, instrument=instrument, submitted_at=at(day), score=score,
        answers=answers,
    )


# --- due (the reminders hook) ----------------------------------------------------------------------


def test_due_on_the_start_date_and_not_before(patient):
    assignment = QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)

    assert due_questionnaires(patient, days_ago(1)) == []
    [due] = due_questionnaires(patient, TODAY)
    assert due.assignment == assignment
    assert due.definition.code == "LEFS"
    assert (due.due_date, due.days_overdue, due.draft) == (TODAY, 0, None)


def test_answered_since_the_scheduled_date_is_not_due_until_the_next(patient):
    assignment = QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(30), repeat_weeks=4)
    submitted(patient, assignment, days_ago(28))  # the first scheduled date (-30) answered late
    [due] = due_questionnaires(patient, TODAY)
    assert due.due_date == days_ago(2)  # the second one

    submitted(patient, assignment, days_ago(1))

    assert due_questionnaires(patient, TODAY) == []
    assert due_questionnaires(patient, TODAY + datetime.timedelta(days=25)) == []
    [due] = due_questionnaires(patient, TODAY + datetime.timedelta(days=26))
    assert due.due_date == days_ago(30) + datetime.timedelta(weeks=8)


def test_missed_dates_do_not_pile_up(patient):
    QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(90), repeat_weeks=4)

    [due] = due_questionnaires(patient, TODAY)

    assert due.due_date == days_ago(90) + datetime.timedelta(weeks=12)
    assert due.days_overdue == 6


def test_once_only_is_never_due_again(patient):
    assignment = QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(60), repeat_weeks=None)
    assert [d.due_date for d in due_questionnaires(patient, TODAY)] == [days_ago(60)]

    submitted(patient, assignment, days_ago(10))

    assert due_questionnaires(patient, TODAY + datetime.timedelta(weeks=30)) == []


def test_a_stopped_assignment_is_not_due_and_a_draft_is_carried(patient):
    lefs = QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)
    visa = QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY, instrument="VISA-A")
    draft = services.start(due_questionnaires(patient, TODAY)[0])
    services.stop(visa)

    [due] = due_questionnaires(patient, TODAY)

    assert due.assignment == lefs and due.draft == draft


def test_another_patients_assignments_are_not_hers(patient, other_patient):
    QuestionnaireAssignmentFactory(patient=other_patient, start_date=TODAY)
    assert due_questionnaires(patient, TODAY) == []


# --- summaries (the caseload column) ----------------------------------------------------------------


def test_summary_has_first_latest_and_change(patient):
    assignment = QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(60))
    submitted(patient, assignment, days_ago(60), score=40)
    submitted(patient, assignment, days_ago(31), score=None)  # not scored: no point on the chart
    submitted(patient, assignment, days_ago(2), score=52)

    [summary] = summaries(patient)

    assert [p.score for p in summary.points] == [40, None, 52]
    assert (summary.first.score, summary.latest.score) == (40, 52)
    assert summary.change.points == 12 and summary.change.important
    assert summary.change_since_previous.points == 12


def test_summaries_for_many_patients_take_one_query(patient):
    patients = [PatientFactory() for _ in range(5)]
    for other in patients:
        submitted(other, None, days_ago(3))
    with CaptureQueriesContext(connection) as queries:
        found = summaries_for(p.pk for p in [patient, *patients])
    assert len(queries) == 1
    assert set(found) == {p.pk for p in patients}


# --- triage (the physio's home hook) ----------------------------------------------------------------


def test_overdue_by_a_week_is_a_reason(patient):
    QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(7))
    QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(6), instrument="VISA-A")

    [reason] = triage_reasons([patient.pk], TODAY)[patient.pk]

    assert reason.code == "questionnaire_overdue"
    assert (reason.instrument, reason.due_date, reason.days_overdue) == ("LEFS", days_ago(7), 7)


def test_a_score_worse_by_the_mcid_than_the_previous_is_a_reason(patient):
    submitted(patient, None, days_ago(40), score=40)
    submitted(patient, None, days_ago(12), score=60)
    submitted(patient, None, days_ago(2), score=51)  # 9 worse than the previous, better than the first

    [reason] = triage_reasons([patient.pk], TODAY)[patient.pk]

    assert reason.code == "questionnaire_worse"
    assert (reason.compared_with, reason.score_from, reason.score_to, reason.points, reason.mcid) == (
        "previous", 60, 51, -9, 9
    )


def test_small_steps_that_add_up_to_the_mcid_against_the_first_are_a_reason(patient):
    for n, score in enumerate((50, 45, 40)):  # -5 each time, -10 since the first
        submitted(patient, None, days_ago(60 - 28 * n), score=score)

    [reason] = triage_reasons([patient.pk], TODAY)[patient.pk]

    assert (reason.compared_with, reason.score_from, reason.score_to) == ("first", 50, 40)


def test_no_reason_for_a_smaller_drop_or_an_improvement(patient, other_patient):
    submitted(patient, None, days_ago(40), score=40)
    submitted(patient, None, days_ago(2), score=32)  # -8 < MCID 9
    submitted(other_patient, None, days_ago(40), score=40)
    submitted(other_patient, None, days_ago(2), score=70)

    assert triage_reasons([patient.pk, other_patient.pk], TODAY) == {}


def test_visa_a_uses_its_own_mcid(patient):
    submitted(patient, None, days_ago(40), score=70, instrument="VISA-A")
    submitted(patient, None, days_ago(2), score=56, instrument="VISA-A")  # -14 < MCID 15
    assert triage_reasons([patient.pk], TODAY) == {}

    submitted(patient, None, days_ago(1), score=55, instrument="VISA-A")  # -15 since the first
    [reason] = triage_reasons([patient.pk], TODAY)[patient.pk]
    assert (reason.instrument, reason.points, reason.mcid) == ("VISA-A", -15, 15)


def test_triage_queries_do_not_grow_with_the_number_of_patients():
    def count(n: int) -> int:
        patients = [PatientFactory() for _ in range(n)]
        for patient in patients:
            QuestionnaireAssignmentFactory(patient=patient, start_date=days_ago(10))
            submitted(patient, None, days_ago(40), score=60)
            submitted(patient, None, days_ago(20), score=40)
        with CaptureQueriesContext(connection) as queries:
            reasons = triage_reasons([p.pk for p in patients], TODAY)
        assert len(reasons) == n and all(len(r) == 2 for r in reasons.values())
        return len(queries)

    assert count(2) == count(20) == 4
