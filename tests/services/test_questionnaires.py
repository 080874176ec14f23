"""Assigning, answering step by step and submitting a questionnaire; what the database refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import QuestionnaireAssignmentFactory, QuestionnaireResponseFactory
from tracker.models import QuestionnaireAssignment, QuestionnaireResponse
from tracker.selectors.questionnaires import due_questionnaires
from tracker.services import questionnaires as services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ALL_THREES = {f"q{n}": 3 for n in range(1, 21)}


def assign(patient, physio=None, **kwargs):
    options = {"instrument": "LEFS", "start_date": TODAY, "repeat_weeks": 4, **kwargs}
    return services.assign(patient=patient, assigned_by=physio, **options)


def test_assign_then_assign_again_changes_the_schedule(patient, physio):
    first = assign(patient, physio)
    again = assign(patient, physio, repeat_weeks=None, start_date=TODAY + datetime.timedelta(days=3))

    assert again.pk == first.pk
    assert QuestionnaireAssignment.objects.get().repeat_weeks is None
    assert str(again).startswith("LEFS, once, on ")
    assert again.history.count() == 2  # audit history


@pytest.mark.parametrize("repeat_weeks", [0, 53])
def test_a_schedule_outside_1_to_52_weeks_is_refused(patient, repeat_weeks):
    with pytest.raises(ValidationError):
        assign(patient, repeat_weeks=repeat_weeks)


def test_start_gives_one_draft_per_due_questionnaire(patient):
    assign(patient)
    [due] = due_questionnaires(patient, TODAY)

    draft = services.start(due)
    [due] = due_questionnaires(patient, TODAY)

    assert services.start(due) == draft
    assert (draft.instrument, draft.version, draft.due_date, draft.answers) == ("LEFS", "1", TODAY, {})


def test_answers_are_saved_one_at_a_time_and_can_be_cleared(patient):
    assign(patient)
    draft = services.start(due_questionnaires(patient, TODAY)[0])

    services.save_answer(draft, "q1", 3)
    services.save_answer(draft, "q2", 0)
    services.save_answer(draft, "q1", None)

    draft.refresh_from_db()
    assert draft.answers == {"q2": 0}


@pytest.mark.parametrize(("code", "value"), [("q1", 5), ("q1", "3"), ("q99", 1)])
def test_an_answer_that_is_not_the_instruments_is_refused(patient, code, value):
    assign(patient)
    draft = services.start(due_questionnaires(patient, TODAY)[0])

    with pytest.raises(ValidationError):
        services.save_answer(draft, code, value)

    draft.refresh_from_db()
    assert draft.answers == {}


def test_submit_scores_and_makes_it_final(patient):
    assign(patient)
    draft = services.start(due_questionnaires(patient, TODAY)[0])
    draft.answers = dict(ALL_THREES)
    draft.save()

    response = services.submit(draft)

    assert (response.score, response.not_scored_reason) == (60, "")
    assert response.submitted_at is not None
    assert due_questionnaires(patient, TODAY) == []
    with pytest.raises(ValidationError, match="final"):
        services.save_answer(response, "q1", 0)
    with pytest.raises(ValidationError, match="final"):
        services.submit(response)


def test_a_form_with_missing_answers_is_kept_with_the_reason(patient):
    assign(patient)
    draft = services.start(due_questionnaires(patient, TODAY)[0])
    services.save_answer(draft, "q1", 4)

    response = services.submit(draft)

    assert response.score is None
    assert response.not_scored_reason.startswith("19 activities were not answered (2, 3,")


def test_submit_answers_needs_a_questionnaire_due_today(patient):
    with pytest.raises(ValidationError, match="No LEFS questionnaire is due"):
        services.submit_answers(patient=patient, instrument="LEFS", answers=ALL_THREES, today=TODAY)
    assign(patient, instrument="VISA-A")
    with pytest.raises(ValidationError, match="No LEFS questionnaire is due"):
        services.submit_answers(patient=patient, instrument="LEFS", answers=ALL_THREES, today=TODAY)


def test_submit_answers_scores_once_and_a_wrong_answer_saves_nothing(patient):
    assign(patient)
    with pytest.raises(ValidationError):
        services.submit_answers(
            patient=patient, instrument="LEFS", answers={**ALL_THREES, "q4": 7}, today=TODAY
        )
    assert not QuestionnaireResponse.objects.exists()

    response = services.submit_answers(
        patient=patient, instrument="LEFS", answers={**ALL_THREES, "q20": None}, today=TODAY
    )
    assert response.answers == {f"q{n}": 3 for n in range(1, 20)}
    assert response.score is None and "Activity 20" in response.not_scored_reason


# --- what the database refuses whatever the code path -------------------------------------------------


def test_the_database_refuses_a_lefs_score_above_80(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireResponseFactory(patient=patient, score=81)
    QuestionnaireResponseFactory(patient=patient, instrument="VISA-A", answers={}, score=81)


def test_the_database_refuses_a_score_without_submission_and_two_drafts(patient):
    assignment = QuestionnaireAssignmentFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireResponseFactory(patient=patient, submitted_at=None, score=40)
    QuestionnaireResponseFactory(patient=patient, assignment=assignment, submitted_at=None, score=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireResponseFactory(patient=patient, assignment=assignment, submitted_at=None, score=None)


def test_the_database_refuses_a_second_active_assignment_and_an_unknown_instrument(patient):
    QuestionnaireAssignmentFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireAssignmentFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireAssignmentFactory(patient=patient, instrument="KOOS")


def test_an_unknown_version_fails_validation(patient):
    response = QuestionnaireResponseFactory.build(patient=patient, version="2")
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert "version" in error.value.message_dict
