"""The daily check-in: pain, cramps, stiffness, trigger points on a body map and red-flag symptoms."""

from django.db import models

from tracker import formatting, metrics
from tracker.models.base import (
    SCORE,
    PatientRecord,
    Range,
    after_1900,
    not_before_1900,
    not_in_future,
    patient_field,
    score_0_10,
)

NIGHT_CRAMPS = Range(0, 20)

TRIGGER_POINTS = [
    # (field name, label); positions follow docs/clinical-rules.md (trigger points).
    ("tp_left_upper_medial", "Left calf, upper medial (just below the knee crease, inner side)"),
    ("tp_left_lower_medial", "Left calf, lower medial (an inch or two lower, inner side)"),
    ("tp_left_upper_lateral", "Left calf, upper lateral (just below the knee crease, outer side)"),
    ("tp_left_lower_lateral", "Left calf, lower lateral (outer side, lower down)"),
    ("tp_right_upper_medial", "Right calf, upper medial (just below the knee crease, inner side)"),
    ("tp_right_lower_medial", "Right calf, lower medial (an inch or two lower, inner side)"),
    ("tp_right_upper_lateral", "Right calf, upper lateral (just below the knee crease, outer side)"),
    ("tp_right_lower_lateral", "Right calf, lower lateral (outer side, lower down)"),
]

RED_FLAG_SYMPTOMS = [
    # (field name, metrics code)
    ("flag_dvt_signs", "dvt_signs"),
    ("flag_tear_pop", "tear_pop"),
    ("flag_severe_pain", "severe_pain"),
    ("flag_numbness", "numbness"),
]


class SymptomLog(PatientRecord):
    patient = patient_field("symptom_logs")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    pain_at_rest = score_0_10("pain at rest (0-10)", null=True, blank=True)
    pain_next_morning = score_0_10("pain on waking (0-10)", null=True, blank=True)
    # Empty when she did not answer: an unanswered question is never stored as "0 cramps".
    night_cramps = models.PositiveSmallIntegerField(
        "night cramps (count)", null=True, blank=True, validators=NIGHT_CRAMPS.validators()
    )
    stiffness = score_0_10("stiffness (0-10)", null=True, blank=True)
    limping = models.BooleanField("I am limping", default=False)

    tp_left_upper_medial = models.BooleanField(TRIGGER_POINTS[0][1], default=False)
    tp_left_lower_medial = models.BooleanField(TRIGGER_POINTS[1][1], default=False)
    tp_left_upper_lateral = models.BooleanField(TRIGGER_POINTS[2][1], default=False)
    tp_left_lower_lateral = models.BooleanField(TRIGGER_POINTS[3][1], default=False)
    tp_right_upper_medial = models.BooleanField(TRIGGER_POINTS[4][1], default=False)
    tp_right_lower_medial = models.BooleanField(TRIGGER_POINTS[5][1], default=False)
    tp_right_upper_lateral = models.BooleanField(TRIGGER_POINTS[6][1], default=False)
    tp_right_lower_lateral = models.BooleanField(TRIGGER_POINTS[7][1], default=False)

    flag_dvt_signs = models.BooleanField(metrics.SYMPTOM_RED_FLAGS["dvt_signs"], default=False)
    flag_tear_pop = models.BooleanField(metrics.SYMPTOM_RED_FLAGS["tear_pop"], default=False)
    flag_severe_pain = models.BooleanField(metrics.SYMPTOM_RED_FLAGS["severe_pain"], default=False)
    flag_numbness = models.BooleanField(metrics.SYMPTOM_RED_FLAGS["numbness"], default=False)

    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="tracker_symptoms_one_per_day"),
            SCORE.check("pain_at_rest", nullable=True),
            SCORE.check("pain_next_morning", nullable=True),
            SCORE.check("stiffness", nullable=True),
            NIGHT_CRAMPS.check("night_cramps", nullable=True),
            after_1900("date", "tracker_symptoms_date_after_1900"),
        ]

    def __str__(self) -> str:
        return f"Check-in on {formatting.day(self.date)}"

    def tender_point_codes(self) -> list[str]:
        """Ticked trigger points as field names without the prefix, e.g. ["left_lower_medial"]."""
        return [field.removeprefix("tp_") for field, _label in TRIGGER_POINTS if getattr(self, field)]

    def tender_points(self) -> list[str]:
        return [label for field, label in TRIGGER_POINTS if getattr(self, field)]

    def red_flag_codes(self) -> list[str]:
        return [code for field, code in RED_FLAG_SYMPTOMS if getattr(self, field)]
