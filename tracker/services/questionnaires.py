"""Writes about outcome questionnaires: assigning one, answering it step by step, submitting it.

Every write validates through the models' `full_clean()` (answers checked against the instrument's
definition) and scores with `tracker.questionnaires.score`, so the web pages, the API and the admin
store the same thing for the same answers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker import questionnaires as definitions
from tracker.models import QuestionnaireAssignment, QuestionnaireResponse, User
from tracker.selectors import questionnaires as selectors


@transaction.atomic
def assign(
    *,
    patient: User,
    instrument: str,
    start_date: datetime.date,
    repeat_weeks: int | None,
    assigned_by: User | None,
) -> QuestionnaireAssignment:
    """Ask `patient` to fill in `instrument` from `start_date`, then every `repeat_weeks` weeks
    (None: once). An active assignment of the same questionnaire gets the new schedule."""
    assignment = (
        QuestionnaireAssignment.objects.select_for_update()
        .filter(patient=patient, instrument=instrument, active=True)
        .first()
    ) or QuestionnaireAssignment(patient=patient, instrument=instrument)
    assignment.start_date = start_date
    assignment.repeat_weeks = repeat_weeks
    assignment.assigned_by = assigned_by
    assignment.full_clean()
    assignment.save()
    return assignment


def stop(assignment: QuestionnaireAssignment) -> None:
    """No more of this questionnaire: nothing is due from it any longer (her answers stay)."""
    assignment.active = False
    assignment.save(update_fields=["active"])


def start(due: selectors.DueQuestionnaire) -> QuestionnaireResponse:
    """Her draft of a due questionnaire: the one she saved earlier, or a new empty one."""
    if due.draft is not None:
        return due.draft
    assignment = due.assignment
    response = QuestionnaireResponse(
        patient_id=assignment.patient_id,
        assignment=assignment,
        instrument=assignment.instrument,
        version=due.definition.version,
        due_date=due.due_date,
    )
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:  # a double tap on "Start" created it a moment ago
        return QuestionnaireResponse.objects.get(assignment=assignment, submitted_at__isnull=True)
    return response


def _check_draft(response: QuestionnaireResponse) -> None:
    if response.submitted_at is not None:
        raise ValidationError("This questionnaire has been submitted already: its answers are final.")


def save_answer(response: QuestionnaireResponse, item_code: str, value) -> None:
    """Store one answer of a draft (None: the item is left unanswered)."""
    _check_draft(response)
    answers = dict(response.answers)
    if value is None:
        answers.pop(item_code, None)
    else:
        answers[item_code] = value
    response.answers = answers
    response.full_clean()
    response.save(update_fields=["answers", "updated_at"])


def submit(response: QuestionnaireResponse, *, now: datetime.datetime | None = None) -> QuestionnaireResponse:
    """Score the draft and make it final. A form that cannot be scored is kept, with the reason."""
    _check_draft(response)
    response.full_clean()
    scored = definitions.score(response.definition, response.answers)
    response.score = scored.total
    response.not_scored_reason = scored.reason
    response.submitted_at = now or timezone.now()
    response.save()
    return response


@transaction.atomic
def submit_answers(
    *, patient: User, instrument: str, answers: dict, today: datetime.date
) -> QuestionnaireResponse:
    """The API's one-step submission: every answer at once, for a questionnaire due today."""
    due = selectors.due_assignment(patient, instrument, today)
    if due is None:
        raise ValidationError({"instrument": f"No {instrument} questionnaire is due for you today."})
    response = start(due)
    response.answers = {code: value for code, value in answers.items() if value is not None}
    return submit(response)


# --- her data export ------------------------------------------------------------------------------

EXPORT_HEADER = (
    "submitted_at", "instrument", "version", "due_date", "score", "max_score", "not_scored_reason", "answers",
)


def export_rows(patient: User):
    """One row per submitted questionnaire; answers as "q1=3;q2=4" (an unanswered item is left out)."""
    for response in selectors.submitted_responses(patient):
        yield (
            timezone.localtime(response.submitted_at).isoformat(timespec="seconds"),
            response.instrument,
            response.version,
            response.due_date.isoformat(),
            response.score,
            response.definition.max_score,
            response.not_scored_reason,
            ";".join(f"{code}={value}" for code, value in response.answers.items()),
        )


def submitted_count(patient: User) -> int:
    return selectors.submitted_responses(patient).count()


def export_documents(patient: User) -> list[dict]:
    """Her submitted questionnaires for data.json, each answer kept as stored."""
    return [
        {
            "instrument": response.instrument,
            "version": response.version,
            "due_date": response.due_date,
            "submitted_at": response.submitted_at,
            "score": response.score,
            "max_score": response.definition.max_score,
            "not_scored_reason": response.not_scored_reason,
            "answers": response.answers,
        }
        for response in selectors.submitted_responses(patient)
    ]
