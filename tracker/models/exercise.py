"""Exercise: the shared library, what the physio prescribes and the sessions the patient logs."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import formatting, metrics, progression
from tracker.illustrations import ILLUSTRATION_CHOICES
from tracker.models.accounts import User
from tracker.models.base import (
    SCORE,
    PatientOwnedQuerySet,
    PatientRecord,
    Range,
    not_before_1900,
    not_in_future,
    patient_field,
    score_0_10,
)

SETS = Range(1, 20)
REPS = Range(0, 500)
HOLD_SECONDS = Range(1, 600)
MINUTES = Range(1, 300)
LOAD_KG = Range(*(Decimal(bound) for bound in metrics.LOAD_KG_RANGE), unit="kg")
TIMES_PER_WEEK = Range(1, 14)
LOAD_STEP = Range(Decimal(0), Decimal(20), unit="kg")
STEP_NUMBER = Range(1, 20)
START_WEEK = Range(1, 104)
SESSION_MINUTES = Range(1, 600)
DEFAULT_AMOUNT = Range(1, 500)
AMOUNT_FIELDS = ("reps", "hold_seconds", "minutes")
AMOUNT_WORDS = {"reps": "repetitions", "hold_seconds": "seconds held", "minutes": "minutes"}


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class Exercise(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        ECCENTRIC = "eccentric", "Eccentric"
        STRETCH = "stretch", "Stretch"
        CARDIO = "cardio", "Cardio"
        SOFT_TISSUE = "soft_tissue", "Soft tissue"

    class Target(models.TextChoices):
        GASTROCNEMIUS = "gastrocnemius", "Gastrocnemius"
        SOLEUS = "soleus", "Soleus"
        TRICEPS_SURAE = "triceps_surae", "Triceps surae"
        WHOLE_LEG = "whole_leg", "Whole leg"

    class Knee(models.TextChoices):
        STRAIGHT = "straight", "Knee straight"
        BENT = "bent", "Knee bent"
        ANY = "any", "Not relevant"

    class MeasuredIn(models.TextChoices):
        REPS = "reps", "Repetitions"
        SECONDS = "seconds", "Seconds held"
        MINUTES = "minutes", "Minutes"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    target = models.CharField(max_length=16, choices=Target.choices)
    knee_position = models.CharField(max_length=8, choices=Knee.choices, default=Knee.ANY)
    measured_in = models.CharField(max_length=8, choices=MeasuredIn.choices, default=MeasuredIn.REPS)
    default_dosage = models.CharField(max_length=200, blank=True)
    default_sets = models.PositiveSmallIntegerField(default=3, validators=SETS.validators())
    default_amount = models.PositiveSmallIntegerField(
        "default reps, seconds or minutes", default=15, validators=DEFAULT_AMOUNT.validators()
    )
    instructions = models.TextField("in short", blank=True, help_text="The exercise in one or two sentences.")
    # "How to do it": content shown to patients, on the handout and in the API.
    starting_position = models.TextField(blank=True, max_length=1000)
    steps = models.TextField(
        "the movement, step by step", blank=True, max_length=2000, help_text="One step per line (3-5 steps)."
    )
    tempo = models.CharField(max_length=200, blank=True)
    what_you_feel = models.TextField("what she should feel", blank=True, max_length=1000)
    common_mistakes = models.TextField(blank=True, max_length=1500, help_text="One mistake per line.")
    when_to_stop = models.TextField(blank=True, max_length=1000)
    illustration = models.CharField(
        "demonstration drawing", max_length=60, blank=True, choices=ILLUSTRATION_CHOICES,
        help_text="A start-and-end drawing of the library; photos and videos are uploaded separately.",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="exercises_created",
        help_text="Empty for the library the app ships with: only superusers edit those.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [SETS.check("default_sets"), DEFAULT_AMOUNT.check("default_amount")]

    def __str__(self) -> str:
        return self.name

    def step_list(self) -> list[str]:
        return _lines(self.steps)

    def mistake_list(self) -> list[str]:
        return _lines(self.common_mistakes)

    def clean(self):
        """Once sessions or prescriptions use an exercise, its unit stays: they are stored in it."""
        super().clean()
        if self.pk is None:
            return
        stored = Exercise.objects.filter(pk=self.pk).values_list("measured_in", flat=True).first()
        in_use = self.entries.exists() or self.prescriptions.exists()
        if stored is not None and stored != self.measured_in and in_use:
            raise ValidationError(
                {"measured_in": "Sessions or prescriptions already use this exercise in "
                 f"{Exercise.MeasuredIn(stored).label.lower()}: the unit cannot change. "
                 "Add a new exercise instead."}
            )

    @property
    def amount_field(self) -> str:
        """Name of the ExerciseEntry / Prescription field that holds this exercise's amount."""
        return {"reps": "reps", "seconds": "hold_seconds", "minutes": "minutes"}[self.measured_in]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class DosageFields(models.Model):
    """Sets and one amount (reps, seconds held or minutes) as the exercise is measured."""

    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    sets = models.PositiveSmallIntegerField(default=3, validators=SETS.validators())
    reps = models.PositiveSmallIntegerField(null=True, blank=True, validators=REPS.validators())
    hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)", null=True, blank=True, validators=HOLD_SECONDS.validators()
    )
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, validators=MINUTES.validators())
    load_kg = models.DecimalField(
        "load (kg)",
        max_digits=4,
        default=Decimal("0"),
        **LOAD_KG.decimal_field_options(1),
        help_text="Added weight; 0 for body weight.",
    )

    class Meta:
        abstract = True

    @classmethod
    def dosage_constraints(cls, prefix: str) -> list:
        def name(what: str) -> str:
            return f"tracker_{prefix}_{what}"

        return [
            models.CheckConstraint(condition=Q(side__in=Side.values), name=name("side_valid")),
            SETS.check("sets", name=name("sets_range")),
            REPS.check("reps", nullable=True, null_first=True, name=name("reps_range")),
            HOLD_SECONDS.check("hold_seconds", nullable=True, null_first=True, name=name("hold_range")),
            MINUTES.check("minutes", nullable=True, null_first=True, name=name("minutes_range")),
            LOAD_KG.check("load_kg", name=name("load_range")),
            models.CheckConstraint(
                condition=Q(reps__isnull=False)
                | Q(hold_seconds__isnull=False)
                | Q(minutes__isnull=False),
                name=name("has_amount"),
                violation_error_message="Enter the repetitions, the seconds held or the minutes.",
            ),
        ]

    def dosage_text(self) -> str:
        if self.reps is not None:
            amount = f"{self.sets} × {self.reps}"
        elif self.hold_seconds is not None:
            amount = f"{self.sets} × {self.hold_seconds} s"
        else:
            amount = f"{self.sets} × {self.minutes} min"
        if self.load_kg:
            amount += f" @ {self.load_kg:g} kg"
        return amount


class ExerciseSession(PatientRecord):
    patient = patient_field("exercise_sessions")
    performed_at = models.DateTimeField(validators=[not_in_future, not_before_1900])
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", null=True, blank=True, validators=SESSION_MINUTES.validators()
    )
    pain_before = score_0_10("pain before (0-10)", null=True, blank=True)
    pain_after = score_0_10("pain after (0-10)", null=True, blank=True)
    rpe = score_0_10("effort (RPE 0-10)", null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-performed_at", "-id"]
        get_latest_by = "performed_at"
        constraints = [
            SESSION_MINUTES.check("duration_minutes", nullable=True),
            *(
                SCORE.check(field, nullable=True)
                for field in ("pain_before", "pain_after", "rpe")
            ),
        ]
        indexes = [models.Index(fields=["patient", "performed_at"])]

    def __str__(self) -> str:
        return f"Session on {formatting.moment(timezone.localtime(self.performed_at))}"


class ExerciseEntry(DosageFields):
    session = models.ForeignKey(ExerciseSession, on_delete=models.CASCADE, related_name="entries")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="entries")
    pain_during = score_0_10("pain during (0-10)", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "exercise entries"
        constraints = [
            *DosageFields.dosage_constraints("entry"),
            SCORE.check("pain_during", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dosage_text()}"

    def clean(self):
        """The amount is given in the unit the exercise is measured in; the other two stay empty.

        The session form, the API and the admin all reach this through `full_clean()`.
        """
        super().clean()
        try:
            exercise = self.exercise
        except Exercise.DoesNotExist:
            return  # clean_fields() has said so already
        needed = exercise.amount_field
        if getattr(self, needed) is None:
            raise ValidationError({needed: f"Enter the {AMOUNT_WORDS[needed]} for {exercise.name}."})
        for field in AMOUNT_FIELDS:
            if field != needed:
                setattr(self, field, None)


class PrescriptionQuerySet(PatientOwnedQuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(active=True, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Progression(models.TextChoices):
    FIXED = progression.FIXED, "Fixed: the dosage stays as it is"
    AUTO = progression.AUTO, "The next step applies by itself when the pain rules are kept"
    APPROVAL = progression.APPROVAL, "The next step waits for my approval"


class Prescription(DosageFields):
    patient = patient_field("prescriptions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="prescriptions")
    prescribed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="prescribed"
    )
    times_per_week = models.PositiveSmallIntegerField(default=3, validators=TIMES_PER_WEEK.validators())
    start_date = models.DateField(default=timezone.localdate, validators=[not_before_1900])
    end_date = models.DateField(null=True, blank=True, validators=[not_before_1900])
    notes = models.TextField(blank=True, max_length=2000)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Progression: the steps (ProgrammeStep) she moves through, and how a step is taken.
    progression = models.CharField(
        "next step", max_length=8, choices=Progression.choices, default=Progression.APPROVAL,
        help_text="Whether the step the app proposes (from the schedule and her logged pain) "
        "applies by itself or waits for you.",
    )
    load_step_kg = models.DecimalField(
        "add load when easy and pain-free (kg)", max_digits=3, default=Decimal("0"),
        **LOAD_STEP.decimal_field_options(1),
        help_text="Alfredson: 5 kg (a backpack). 0: no load steps.",
    )
    step_number = models.PositiveSmallIntegerField("current step", null=True, blank=True)
    step_reason = models.TextField(
        "why this step", blank=True, max_length=1000, help_text="Shown to her as it is."
    )
    step_changed_on = models.DateField(null=True, blank=True)

    objects = PrescriptionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["exercise__name"]
        constraints = [
            *DosageFields.dosage_constraints("prescription"),
            TIMES_PER_WEEK.check("times_per_week"),
            LOAD_STEP.check("load_step_kg"),
            models.CheckConstraint(
                condition=Q(progression__in=Progression.values), name="tracker_prescription_progression_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tracker_prescription_end_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dosage_text()}, {self.times_per_week}×/week"


class ProgrammeStep(models.Model):
    """One step of a prescription's progression: from a week of the programme on, this dosage."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(validators=STEP_NUMBER.validators())
    start_week = models.PositiveSmallIntegerField(
        "from week", validators=START_WEEK.validators(), help_text="Week 1 is the first 7 days."
    )
    sets = models.PositiveSmallIntegerField(default=3, validators=SETS.validators())
    amount = models.PositiveSmallIntegerField(
        "reps, seconds or minutes", validators=DEFAULT_AMOUNT.validators()
    )
    load_note = models.CharField(
        "load", max_length=120, blank=True, help_text='In words, e.g. "a weight you can lift 12 times".'
    )

    class Meta:
        ordering = ["prescription", "number"]
        constraints = [
            models.UniqueConstraint(fields=["prescription", "number"], name="tracker_step_number_unique"),
            STEP_NUMBER.check("number"),
            START_WEEK.check("start_week"),
            SETS.check("sets", name="tracker_step_sets_range"),
            DEFAULT_AMOUNT.check("amount", name="tracker_step_amount_range"),
        ]

    def __str__(self) -> str:
        return f"Step {self.number} from week {self.start_week}: {self.dosage_text()}"

    def dosage_text(self) -> str:
        unit = {"seconds": " s", "minutes": " min"}.get(self.prescription.exercise.measured_in, "")
        return f"{self.sets} × {self.amount}{unit}"
