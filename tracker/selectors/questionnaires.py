"""Reads about outcome questionnaires: what is due, her results, and the physio's summaries.

A questionnaire is due on a day when its assignment is active, the day is on or after a scheduled
date, and nothing was submitted for the assignment since the latest scheduled date (missed dates do
not pile up). The bulk functions (`summaries_for`, `triage_reasons`) run a fixed number of queries
however many patients they are given.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from tracker import metrics
from tracker import questionnaires as definitions
from tracker.models import QuestionnaireAssignment, QuestionnaireResponse, User


@dataclass(frozen=True)
class DueQuestionnaire:
    assignment: QuestionnaireAssignment
    definition: definitions.Instrument = field(repr=False, kw_only=True)
    due_date: datetime.date  # the scheduled date it is due since
    days_overdue: int  # days since due_date (0 on the day)
    draft: QuestionnaireResponse | None  # started and saved, not submitted yet


def _due(assignments, submitted, drafts, day: datetime.date) -> list[DueQuestionnaire]:
    """Which of `assignments` are due on `day`, given when each was last submitted and its draft."""
    due = []
    for assignment in assignments:
        scheduled = assignment.latest_due_date(day)
        if scheduled is None:
            continue
        last = submitted.get(assignment.pk)
        if last is not None and last.date() >= scheduled:
            continue
        due.append(
            DueQuestionnaire(
                assignment=assignment,
                definition=definitions.instrument(assignment.instrument),
                due_date=scheduled,
                days_overdue=(day - scheduled).days,
                draft=drafts.get(assignment.pk),
            )
        )
    return due


def _submission_state(assignment_ids: Iterable[int]) -> tuple[dict, dict]:
    """(assignment id -> local time of its latest submission, assignment id -> open draft); 2 queries."""
    rows = QuestionnaireResponse.objects.filter(assignment_id__in=list(assignment_ids))
    latest = (
        rows.filter(submitted_at__isnull=False)
        .order_by()
        .values("assignment_id")
        .annotate(last=Max("submitted_at"))
        .values_list("assignment_id", "last")
    )
    submitted = {assignment_id: timezone.localtime(last) for assignment_id, last in latest}
    drafts = {draft.assignment_id: draft for draft in rows.filter(submitted_at__isnull=True)}
    return submitted, drafts


def due_questionnaires(patient: User, day: datetime.date) -> list[DueQuestionnaire]:
    """The questionnaires due for `patient` on her local date `day`, oldest first (3 queries).

    The reminders hook: a reminder is due on `day` when this list is not empty.
    """
    assignments = list(QuestionnaireAssignment.objects.filter(patient=patient, active=True))
    if not assignments:
        return []  # most patients have none: her dashboard skips building two queries
    submitted, drafts = _submission_state(a.pk for a in assignments)
    return sorted(_due(assignments, submitted, drafts, day), key=lambda d: (d.due_date, d.definition.code))


def due_assignment(patient: User, code: str, day: datetime.date) -> DueQuestionnaire | None:
    return next((due for due in due_questionnaires(patient, day) if due.definition.code == code), None)


def response_of(patient: User, pk: int) -> QuestionnaireResponse | None:
    """One of her responses (drafts included); None for anybody else's."""
    return QuestionnaireResponse.objects.filter(patient=patient, pk=pk).first()


def submitted_responses(patient: User, code: str | None = None):
    rows = QuestionnaireResponse.objects.filter(patient=patient, submitted_at__isnull=False)
    if code is not None:
        rows = rows.filter(instrument=code)
    return rows.order_by("submitted_at", "id")


# --- results per instrument --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredPoint:
    response_id: int
    date: datetime.date
    score: int | None  # None: submitted but not scored (see reason)
    reason: str = ""


@dataclass(frozen=True)
class InstrumentSummary:
    """Her results on one instrument: the points in date order, the first and latest scores."""

    definition: definitions.Instrument
    points: list[ScoredPoint]

    @property
    def scored(self) -> list[ScoredPoint]:
        return [p for p in self.points if p.score is not None]

    @property
    def first(self) -> ScoredPoint | None:
        return self.scored[0] if self.scored else None

    @property
    def latest(self) -> ScoredPoint | None:
        return self.scored[-1] if self.scored else None

    @property
    def latest_response(self) -> ScoredPoint:
        return self.points[-1]

    @property
    def change(self) -> metrics.ScoreChange | None:
        """The latest score against the first (None with fewer than two scores)."""
        scored = self.scored
        if len(scored) < 2:
            return None
        return metrics.questionnaire_change(
            earlier=scored[0].score, latest=scored[-1].score, instrument=self.definition.code
        )

    @property
    def change_since_previous(self) -> metrics.ScoreChange | None:
        scored = self.scored
        if len(scored) < 2:
            return None
        return metrics.questionnaire_change(
            earlier=scored[-2].score, latest=scored[-1].score, instrument=self.definition.code
        )


def _summaries(rows) -> dict[int, list[InstrumentSummary]]:
    """Submitted response rows (in date order) -> patient id -> one summary per instrument."""
    points: dict[int, dict[str, list[ScoredPoint]]] = {}
    for row in rows:
        point = ScoredPoint(
            response_id=row["pk"],
            date=timezone.localtime(row["submitted_at"]).date(),
            score=row["score"],
            reason=row["not_scored_reason"],
        )
        points.setdefault(row["patient_id"], {}).setdefault(row["instrument"], []).append(point)
    return {
        patient_id: [
            InstrumentSummary(definitions.INSTRUMENTS[code], series)
            for code, series in sorted(by_code.items())
        ]
        for patient_id, by_code in points.items()
    }


def _submitted_rows(patient_ids):
    return (
        QuestionnaireResponse.objects.filter(patient_id__in=patient_ids, submitted_at__isnull=False)
        .order_by("submitted_at", "id")
        .values("pk", "patient_id", "instrument", "submitted_at", "score", "not_scored_reason")
    )


def summaries(patient: User) -> list[InstrumentSummary]:
    """Her results, one summary per instrument she has answered (1 query)."""
    return _summaries(_submitted_rows([patient.pk])).get(patient.pk, [])


def summary(patient: User, code: str) -> InstrumentSummary | None:
    return next((s for s in summaries(patient) if s.definition.code == code), None)


def summaries_for(patient_ids: Iterable[int]) -> dict[int, list[InstrumentSummary]]:
    """Every given patient's summaries (the caseload column): 1 query for any number of patients."""
    return _summaries(_submitted_rows(list(patient_ids)))


# --- the physio's triage -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageReason:
    """Why a patient needs the physio's attention, as data (the triage page words it).

    code "questionnaire_overdue": due since `due_date`, `days_overdue` days (at least
    QUESTIONNAIRE_OVERDUE_DAYS) and still not submitted.
    code "questionnaire_worse": the latest score is worse by at least the instrument's MCID than
    the `compared_with` score ("first" or "previous"): from `score_from` to `score_to`.
    """

    code: str
    instrument: str
    due_date: datetime.date | None = None
    days_overdue: int | None = None
    compared_with: str | None = None
    score_from: int | None = None
    score_to: int | None = None
    points: int | None = None
    mcid: int | None = None
    response_id: int | None = None


def _worse(summary: InstrumentSummary) -> TriageReason | None:
    latest = summary.latest
    for compared_with, change in (("previous", summary.change_since_previous), ("first", summary.change)):
        if change is not None and change.direction == "worse" and change.important:
            earlier = latest.score - change.points
            return TriageReason(
                code="questionnaire_worse",
                instrument=summary.definition.code,
                compared_with=compared_with,
                score_from=earlier,
                score_to=latest.score,
                points=change.points,
                mcid=summary.definition.mcid,
                response_id=latest.response_id,
            )
    return None


def triage_reasons(patient_ids: Iterable[int], today: datetime.date) -> dict[int, list[TriageReason]]:
    """The questionnaire reasons of each patient that has any, by patient id: a questionnaire overdue
    by a week, or a score worse by at least the MCID (than the previous one, else than the first).

    The triage hook: 4 queries whatever the number of patients.
    """
    ids = list(patient_ids)
    reasons: dict[int, list[TriageReason]] = {}
    assignments = list(QuestionnaireAssignment.objects.filter(patient_id__in=ids, active=True))
    submitted, drafts = _submission_state(a.pk for a in assignments)
    for due in _due(assignments, submitted, drafts, today):
        if due.days_overdue >= metrics.QUESTIONNAIRE_OVERDUE_DAYS:
            reasons.setdefault(due.assignment.patient_id, []).append(
                TriageReason(
                    code="questionnaire_overdue",
                    instrument=due.definition.code,
                    due_date=due.due_date,
                    days_overdue=due.days_overdue,
                )
            )
    for patient_id, instrument_summaries in summaries_for(ids).items():
        for summary_ in instrument_summaries:
            worse = _worse(summary_)
            if worse is not None:
                reasons.setdefault(patient_id, []).append(worse)
    return reasons
