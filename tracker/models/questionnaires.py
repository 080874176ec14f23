"""Outcome questionnaires: what the physio assigns (with a schedule) and what the patient answers.

The questionnaires themselves (items, options, scoring) are code, in `tracker.questionnaires`: a
response stores the instrument's code and version with each answer and the computed score, so a
later wording never changes what an old answer meant.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import formatting, metrics
from tracker import questionnaires as definitions
from tracker.models.accounts import User
from tracker.models.base import PatientRecord, Range, not_before_1900, patient_field

REPEAT_WEEKS = Range.of(metrics.QUESTIONNAIRE_REPEAT_WEEKS_RANGE)
SCORE = Range(0, max(high for _low, high in metrics.QUESTIONNAIRE_RANGES.values()))


def _instrument_field() -> models.CharField:
    return models.CharField("questionnaire", max_length=16, choices=definitions.CHOICES)


class QuestionnaireAssignment(models.Model):
    """A questionnaire the physio asked the patient to fill in: at the start date, then every N weeks."""

    patient = patient_field("questionnaire_assignments")
    instrument = _instrument_field()
    start_date = models.DateField("first due on", default=timezone.localdate, validators=[not_before_1900])
    repeat_weeks = models.PositiveSmallIntegerField(
        "then every (weeks)",
        null=True,
        blank=True,
        default=metrics.QUESTIONNAIRE_REPEAT_WEEKS,
        validators=REPEAT_WEEKS.validators(),
        help_text="Leave empty to ask once only.",
    )
    assigned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="questionnaires_assigned"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument"],
                condition=Q(active=True),
                name="tracker_questionnaire_one_active_assignment",
                violation_error_message="This questionnaire is already assigned to her.",
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=definitions.CODES), name="tracker_assignment_instrument_valid"
            ),
            REPEAT_WEEKS.check("repeat_weeks", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}, {self.schedule_text()}"

    def schedule_text(self) -> str:
        start = formatting.day(self.start_date)
        if self.repeat_weeks is None:
            return f"once, on {start}"
        return f"from {start}, then every {self.repeat_weeks} week{'s' if self.repeat_weeks > 1 else ''}"

    def latest_due_date(self, day: datetime.date) -> datetime.date | None:
        """The latest scheduled date on or before `day` (None before the first)."""
        return definitions.latest_due_date(start=self.start_date, repeat_weeks=self.repeat_weeks, day=day)


class QuestionnaireResponse(PatientRecord):
    """One filling-in of a questionnaire: a draft until submitted, then scored and final."""

    patient = patient_field("questionnaire_responses")
    assignment = models.ForeignKey(
        QuestionnaireAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    instrument = _instrument_field()
    version = models.CharField(max_length=16)
    due_date = models.DateField(validators=[not_before_1900])
    answers = models.JSONField(default=dict, blank=True, help_text="Item code -> the answer chosen.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE.validators())
    not_scored_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(submitted_at__isnull=True),
                name="tracker_questionnaire_one_draft_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=definitions.CODES), name="tracker_response_instrument_valid"
            ),
            SCORE.check("score", nullable=True),
            *(
                models.CheckConstraint(
                    condition=~Q(instrument=code) | Q(score__isnull=True) | Q(score__lte=high),
                    name=f"tracker_response_{definitions.slug(code).replace('-', '_')}_score_max",
                )
                for code, (_low, high) in metrics.QUESTIONNAIRE_RANGES.items()
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(submitted_at__isnull=False),
                name="tracker_response_scored_when_submitted",
            ),
        ]
        indexes = [models.Index(fields=["patient", "instrument", "submitted_at"])]

    def __str__(self) -> str:
        if self.submitted_at is None:
            return f"{self.instrument}, not submitted yet"
        return f"{self.instrument} of {formatting.day(timezone.localdate(self.submitted_at))}"

    @property
    def definition(self) -> definitions.Instrument:
        return definitions.instrument(self.instrument, self.version)

    def clean(self):
        """The answers must be answers of this instrument's version: the web form, the API and the
        admin all reach this through `full_clean()`."""
        super().clean()
        try:
            definition = self.definition
        except ValueError as error:
            raise ValidationError({"version": str(error)}) from None
        if not isinstance(self.answers, dict):
            raise ValidationError({"answers": "The answers are a mapping of item code to answer."})
        errors = definitions.answer_errors(definition, self.answers)
        if errors:
            raise ValidationError({"answers": list(errors.values())})
