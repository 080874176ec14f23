"""Demo questionnaires for seed_demo: assignments and submitted responses with plausible answers.

The answers are built to reach a chosen total (LEFS) or written out (VISA-A), then validated and
scored by the same code as a patient's own answers.
"""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tracker import questionnaires as definitions
from tracker.models import QuestionnaireAssignment, QuestionnaireResponse, User

# LEFS activity numbers from the easiest to the hardest for someone with a calf problem.
LEFS_EASIEST_FIRST = (4, 20, 8, 15, 11, 5, 10, 3, 7, 1, 14, 13, 12, 9, 6, 2, 16, 17, 19, 18)

VISA_A_IMPROVING = (  # questions 1-7 (0-10) and question 8 (part B: pain, but she completes training)
    {"q1": 5, "q2": 5, "q3": 6, "q4": 7, "q5": 5, "q6": 6, "q7": 4, "q8": "B:21-30"},  # 52
    {"q1": 6, "q2": 6, "q3": 7, "q4": 8, "q5": 6, "q6": 6, "q7": 4, "q8": "B:over-30"},  # 63
    {"q1": 7, "q2": 7, "q3": 8, "q4": 9, "q5": 7, "q6": 6, "q7": 7, "q8": "B:over-30"},  # 71
)


def lefs_answers(total: int) -> dict[str, int]:
    """Answers adding up to `total` (0-80): each round adds a point to every activity, easiest first."""
    answers = {f"q{number}": 0 for number in LEFS_EASIEST_FIRST}
    remaining = total
    while remaining:
        for number in LEFS_EASIEST_FIRST:
            if remaining and answers[f"q{number}"] < 4:
                answers[f"q{number}"] += 1
                remaining -= 1
    return answers


def add_questionnaires(
    *, patient: User, physio: User, code: str, answered: list[tuple[datetime.date, dict]], repeat_weeks: int
) -> None:
    """An assignment from the first date, every `repeat_weeks` weeks, and one response per date."""
    definition = definitions.instrument(code)
    assignment = QuestionnaireAssignment(
        patient=patient, instrument=code, start_date=answered[0][0], repeat_weeks=repeat_weeks,
        assigned_by=physio,
    )
    assignment.full_clean()
    assignment.save()
    responses, now = [], timezone.now()
    for day, answers in answered:
        scored = definitions.score(definition, answers)
        response = QuestionnaireResponse(
            patient=patient,
            assignment=assignment,
            instrument=code,
            version=definition.version,
            due_date=day,
            answers=answers,
            submitted_at=min(now, timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 0)))),
            score=scored.total,
            not_scored_reason=scored.reason,
        )
        response.full_clean()
        responses.append(response)
    bulk_create_with_history(responses, QuestionnaireResponse)
