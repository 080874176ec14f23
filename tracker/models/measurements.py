"""What she measures: calf girth (both legs, at one site) and the single-leg heel-rise test.

Girth is stored in cm; the patient's unit only changes what pages show.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from tracker import formatting, metrics
from tracker.models.base import (
    PatientRecord,
    Range,
    after_1900,
    not_before_1900,
    not_in_future,
    patient_field,
    unknown_choice,
)

GIRTH_CM = Range(*(Decimal(str(bound)) for bound in metrics.GIRTH_RANGE_CM), noun="girth", unit="cm")
HEEL_RISES = Range.of(metrics.HEEL_RISE_REPS_RANGE)
GIRTH_READING_FIELDS = ("left_1", "left_2", "left_3", "right_1", "right_2", "right_3")


def girth_field(verbose_name: str, *, required: bool):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        null=not required,
        blank=not required,
        **GIRTH_CM.decimal_field_options(1),
    )


class GirthMeasurement(PatientRecord):
    class Site(models.TextChoices):
        MAX = "max", "Maximal calf girth"
        TT10 = "tt10", "10 cm below the tibial tuberosity"
        TT15 = "tt15", "15 cm below the tibial tuberosity"

    class MeasuredBy(models.TextChoices):
        SELF = "self", "Myself"
        PHYSIO = "physio", "Physiotherapist"

    patient = patient_field("girth_measurements")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    site = models.CharField(
        max_length=4, choices=Site.choices, default=Site.TT10, error_messages=unknown_choice(Site.choices)
    )
    left_1 = girth_field("left reading 1", required=True)
    left_2 = girth_field("left reading 2", required=False)
    left_3 = girth_field("left reading 3", required=False)
    right_1 = girth_field("right reading 1", required=True)
    right_2 = girth_field("right reading 2", required=False)
    right_3 = girth_field("right reading 3", required=False)
    # Means are derived from the readings on save; stored so the database can sort and chart them.
    left_cm = models.DecimalField("left mean (cm)", max_digits=5, decimal_places=1, editable=False)
    right_cm = models.DecimalField("right mean (cm)", max_digits=5, decimal_places=1, editable=False)
    measured_by = models.CharField(
        max_length=6,
        choices=MeasuredBy.choices,
        default=MeasuredBy.SELF,
        error_messages=unknown_choice(MeasuredBy.choices),
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date", "site"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "site"], name="tracker_girth_one_per_date_site"
            ),
            *[GIRTH_CM.check(field, nullable=not field.endswith("_1")) for field in GIRTH_READING_FIELDS],
            GIRTH_CM.check("left_cm"),
            GIRTH_CM.check("right_cm"),
            models.CheckConstraint(
                condition=Q(site__in=["max", "tt10", "tt15"]), name="tracker_girth_site_valid"
            ),
            after_1900("date", "tracker_girth_date_after_1900"),
        ]
        indexes = [models.Index(fields=["patient", "site", "date"])]

    def __str__(self) -> str:
        return f"{formatting.site_name(self.site)} on {formatting.day(self.date)}"

    def save(self, *args, **kwargs):
        self.compute_means()
        super().save(*args, **kwargs)

    @property
    def left_readings(self) -> list[Decimal]:
        return [r for r in (self.left_1, self.left_2, self.left_3) if r is not None]

    @property
    def right_readings(self) -> list[Decimal]:
        return [r for r in (self.right_1, self.right_2, self.right_3) if r is not None]

    def legs_to_remeasure(self) -> list[str]:
        """The legs whose readings differ by more than the repeat limit (0.5 cm)."""
        readings = {"left": self.left_readings, "right": self.right_readings}
        return [leg for leg in metrics.SIDES if metrics.needs_remeasure(readings[leg])]

    def compute_means(self) -> None:
        self.left_cm = Decimal(str(metrics.mean_reading(self.left_readings)))
        self.right_cm = Decimal(str(metrics.mean_reading(self.right_readings)))

    def symmetry(self, affected_side: str) -> "metrics.Symmetry":
        return metrics.symmetry(left=self.left_cm, right=self.right_cm, affected_side=affected_side)


class HeelRiseTest(PatientRecord):
    class Incline(models.IntegerChoices):
        NONE = 0, "Flat floor"
        TEN = 10, "10° incline board"

    patient = patient_field("heel_rise_tests")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    reps_left = models.PositiveSmallIntegerField("left heel rises", validators=HEEL_RISES.validators())
    reps_right = models.PositiveSmallIntegerField("right heel rises", validators=HEEL_RISES.validators())
    incline = models.PositiveSmallIntegerField(choices=Incline.choices, default=Incline.NONE)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date", "-id"]
        get_latest_by = "date"
        constraints = [
            HEEL_RISES.check("reps_left"),
            HEEL_RISES.check("reps_right"),
            models.CheckConstraint(condition=Q(incline__in=[0, 10]), name="tracker_heelrise_incline_valid"),
            after_1900("date", "tracker_heelrise_date_after_1900"),
        ]
        indexes = [models.Index(fields=["patient", "date"])]

    def __str__(self) -> str:
        return f"Heel-rise test on {formatting.day(self.date)}"

    def symmetry(self, affected_side: str) -> "metrics.Symmetry":
        return metrics.symmetry(left=self.reps_left, right=self.reps_right, affected_side=affected_side)
