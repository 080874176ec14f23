"""Data model of Calf Rehab Tracker.

Ranges come from ../shared/domain.md. Every range and uniqueness rule is a database
constraint too, so no code path (forms, admin, imports, API) can store an invalid row.
Girth is stored in cm; the patient's unit only changes what pages show.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import metrics

EARLIEST_DATE = datetime.date(1900, 1, 1)
PHYSIO_GROUP = "Physiotherapists"


def not_in_future(value):
    if isinstance(value, datetime.datetime):
        # A minute of slack for clocks that differ between phone and server.
        in_future = value > timezone.now() + datetime.timedelta(minutes=1)
    else:
        in_future = value > timezone.localdate()
    if in_future:
        raise ValidationError("This date is in the future. Enter today or an earlier date.")


def not_before_1900(value):
    moment = value.date() if isinstance(value, datetime.datetime) else value
    if moment < EARLIEST_DATE:
        raise ValidationError("Enter a date from 1900 onwards.")


def score_0_10(verbose_name: str, **kwargs):
    """A 0-10 rating (pain NRS, stiffness, RPE)."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        **kwargs,
    )


def range_check(field: str, low, high, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"%(app_label)s_%(class)s_{field}_range")


def girth_field(verbose_name: str, *, required: bool):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        null=not required,
        blank=not required,
        validators=[
            MinValueValidator(Decimal(str(metrics.GIRTH_MIN_CM))),
            MaxValueValidator(Decimal(str(metrics.GIRTH_MAX_CM))),
        ],
    )


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class AffectedSide(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"
    UNKNOWN = "unknown", "Not known"


class User(AbstractUser):
    """Patients are ordinary users; physiotherapists are staff in the Physiotherapists group."""

    @property
    def is_physio(self) -> bool:
        return self.is_staff and self.groups.filter(name=PHYSIO_GROUP).exists()

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class PatientProfile(models.Model):
    class Unit(models.TextChoices):
        CM = "cm", "Centimetres (cm)"
        INCHES = "in", "Inches (in)"

    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    affected_side = models.CharField(
        max_length=8, choices=AffectedSide.choices, default=AffectedSide.UNKNOWN
    )
    condition = models.CharField(
        max_length=200,
        blank=True,
        help_text='In your own words, e.g. "Atrophy of the medial head of the left gastrocnemius".',
    )
    onset_date = models.DateField(
        null=True, blank=True, validators=[not_in_future, not_before_1900]
    )
    physio = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        limit_choices_to={"is_staff": True},
        verbose_name="assigned physiotherapist",
    )
    unit = models.CharField("preferred unit", max_length=2, choices=Unit.choices, default=Unit.CM)
    target_lsi = models.DecimalField(
        "target LSI (%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("90.0"),
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text="The limb symmetry index to aim for; 90% is the usual return-to-sport target.",
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "patient"
        constraints = [
            range_check("target_lsi", 50, 100),
            range_check("birth_year", 1900, 2100, nullable=True),
            models.CheckConstraint(
                condition=Q(affected_side__in=AffectedSide.values),
                name="tracker_profile_affected_side_valid",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["cm", "in"]), name="tracker_profile_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(onset_date__isnull=True) | Q(onset_date__gte=EARLIEST_DATE),
                name="tracker_profile_onset_after_1900",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user.display_name()}"


class PatientOwnedQuerySet(models.QuerySet):
    def for_patient(self, user):
        return self.filter(patient=user)


GIRTH_READING_FIELDS = ("left_1", "left_2", "left_3", "right_1", "right_2", "right_3")


class GirthMeasurement(models.Model):
    class Site(models.TextChoices):
        MAX = "max", "Maximal calf girth"
        TT10 = "tt10", "10 cm below the tibial tuberosity"
        TT15 = "tt15", "15 cm below the tibial tuberosity"

    class MeasuredBy(models.TextChoices):
        SELF = "self", "Myself"
        PHYSIO = "physio", "Physiotherapist"

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="girth_measurements")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    site = models.CharField(max_length=4, choices=Site.choices, default=Site.TT10)
    left_1 = girth_field("left reading 1", required=True)
    left_2 = girth_field("left reading 2", required=False)
    left_3 = girth_field("left reading 3", required=False)
    right_1 = girth_field("right reading 1", required=True)
    right_2 = girth_field("right reading 2", required=False)
    right_3 = girth_field("right reading 3", required=False)
    # Means are derived from the readings on save; stored so the database can sort and chart them.
    left_cm = models.DecimalField("left mean (cm)", max_digits=5, decimal_places=2, editable=False)
    right_cm = models.DecimalField("right mean (cm)", max_digits=5, decimal_places=2, editable=False)
    measured_by = models.CharField(max_length=6, choices=MeasuredBy.choices, default=MeasuredBy.SELF)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    READING_FIELDS = GIRTH_READING_FIELDS

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "site"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "site"], name="tracker_girth_one_per_date_site"
            ),
            *[
                range_check(field, 15, 80, nullable=not field.endswith("_1"))
                for field in GIRTH_READING_FIELDS
            ],
            range_check("left_cm", 15, 80),
            range_check("right_cm", 15, 80),
            models.CheckConstraint(
                condition=Q(site__in=["max", "tt10", "tt15"]), name="tracker_girth_site_valid"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE), name="tracker_girth_date_after_1900"
            ),
        ]
        indexes = [models.Index(fields=["patient", "site", "date"])]

    def __str__(self) -> str:
        return f"{self.get_site_display()} on {self.date}"

    def save(self, *args, **kwargs):
        self.compute_means()
        super().save(*args, **kwargs)

    @property
    def left_readings(self) -> list[Decimal]:
        return [r for r in (self.left_1, self.left_2, self.left_3) if r is not None]

    @property
    def right_readings(self) -> list[Decimal]:
        return [r for r in (self.right_1, self.right_2, self.right_3) if r is not None]

    def compute_means(self) -> None:
        self.left_cm = Decimal(str(metrics.mean_reading(self.left_readings)))
        self.right_cm = Decimal(str(metrics.mean_reading(self.right_readings)))

    def symmetry(self, affected_side: str) -> "metrics.Symmetry":
        return metrics.symmetry(left=self.left_cm, right=self.right_cm, affected_side=affected_side)


class HeelRiseTest(models.Model):
    class Incline(models.IntegerChoices):
        NONE = 0, "Flat floor"
        TEN = 10, "10° incline board"

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="heel_rise_tests")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    reps_left = models.PositiveSmallIntegerField(
        "left heel rises", validators=[MinValueValidator(0), MaxValueValidator(200)]
    )
    reps_right = models.PositiveSmallIntegerField(
        "right heel rises", validators=[MinValueValidator(0), MaxValueValidator(200)]
    )
    incline = models.PositiveSmallIntegerField(choices=Incline.choices, default=Incline.NONE)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        get_latest_by = "date"
        constraints = [
            range_check("reps_left", 0, 200),
            range_check("reps_right", 0, 200),
            models.CheckConstraint(condition=Q(incline__in=[0, 10]), name="tracker_heelrise_incline_valid"),
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE), name="tracker_heelrise_date_after_1900"
            ),
        ]
        indexes = [models.Index(fields=["patient", "date"])]

    def __str__(self) -> str:
        return f"Heel-rise test on {self.date}"

    def symmetry(self, affected_side: str) -> "metrics.Symmetry":
        return metrics.symmetry(left=self.reps_left, right=self.reps_right, affected_side=affected_side)


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
    default_sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    default_amount = models.PositiveSmallIntegerField(
        "default reps, seconds or minutes",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    instructions = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            range_check("default_sets", 1, 20),
            range_check("default_amount", 1, 500),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_field(self) -> str:
        """Name of the ExerciseEntry / Prescription field that holds this exercise's amount."""
        return {"reps": "reps", "seconds": "hold_seconds", "minutes": "minutes"}[self.measured_in]


class DosageFields(models.Model):
    """Sets and one amount (reps, seconds held or minutes) as the exercise is measured."""

    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(300)]
    )
    load_kg = models.DecimalField(
        "load (kg)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(300)],
        help_text="Added weight; 0 for body weight.",
    )

    class Meta:
        abstract = True

    @classmethod
    def dosage_constraints(cls, prefix: str) -> list:
        return [
            models.CheckConstraint(
                condition=Q(side__in=Side.values), name=f"tracker_{prefix}_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=20), name=f"tracker_{prefix}_sets_range"
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__gte=0, reps__lte=500),
                name=f"tracker_{prefix}_reps_range",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(hold_seconds__gte=1, hold_seconds__lte=600),
                name=f"tracker_{prefix}_hold_range",
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=1, minutes__lte=300),
                name=f"tracker_{prefix}_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__gte=0, load_kg__lte=300), name=f"tracker_{prefix}_load_range"
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=False)
                | Q(hold_seconds__isnull=False)
                | Q(minutes__isnull=False),
                name=f"tracker_{prefix}_has_amount",
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


class ExerciseSession(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="exercise_sessions")
    performed_at = models.DateTimeField(validators=[not_in_future, not_before_1900])
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    pain_before = score_0_10("pain before (0-10)", null=True, blank=True)
    pain_after = score_0_10("pain after (0-10)", null=True, blank=True)
    rpe = score_0_10("effort (RPE 0-10)", null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_at", "-id"]
        get_latest_by = "performed_at"
        constraints = [
            range_check("duration_minutes", 1, 600, nullable=True),
            range_check("pain_before", 0, 10, nullable=True),
            range_check("pain_after", 0, 10, nullable=True),
            range_check("rpe", 0, 10, nullable=True),
        ]
        indexes = [models.Index(fields=["patient", "performed_at"])]

    def __str__(self) -> str:
        return f"Session on {timezone.localtime(self.performed_at):%Y-%m-%d %H:%M}"


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
            range_check("pain_during", 0, 10, nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dosage_text()}"


TRIGGER_POINTS = [
    # (field name, label); positions follow domain.md (seeds 001 and 002).
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


class SymptomLog(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="symptom_logs")
    date = models.DateField(validators=[not_in_future, not_before_1900])
    pain_at_rest = score_0_10("pain at rest (0-10)", null=True, blank=True)
    pain_next_morning = score_0_10("pain on waking (0-10)", null=True, blank=True)
    night_cramps = models.PositiveSmallIntegerField(
        "night cramps (count)", default=0, validators=[MinValueValidator(0), MaxValueValidator(20)]
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="tracker_symptoms_one_per_day"),
            range_check("pain_at_rest", 0, 10, nullable=True),
            range_check("pain_next_morning", 0, 10, nullable=True),
            range_check("stiffness", 0, 10, nullable=True),
            range_check("night_cramps", 0, 20),
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE), name="tracker_symptoms_date_after_1900"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.date}"

    def tender_points(self) -> list[str]:
        return [label for field, label in TRIGGER_POINTS if getattr(self, field)]

    def red_flag_codes(self) -> list[str]:
        return [code for field, code in RED_FLAG_SYMPTOMS if getattr(self, field)]


class PrescriptionQuerySet(PatientOwnedQuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(active=True, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Prescription(DosageFields):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="prescriptions")
    prescribed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="prescribed"
    )
    times_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    start_date = models.DateField(default=timezone.localdate, validators=[not_before_1900])
    end_date = models.DateField(null=True, blank=True, validators=[not_before_1900])
    notes = models.TextField(blank=True, max_length=2000)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrescriptionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["exercise__name"]
        constraints = [
            *DosageFields.dosage_constraints("prescription"),
            range_check("times_per_week", 1, 14),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tracker_prescription_end_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dosage_text()}, {self.times_per_week}×/week"


class PhysioNote(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="physio_notes")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes_written"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=5000)
    visible_to_patient = models.BooleanField(
        default=False, help_text="Visible notes appear on the patient's dashboard."
    )
    is_review = models.BooleanField("marks a review", default=False)
    read_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Note of {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, help_text='What the token is for, e.g. "Phone shortcut".')
    prefix = models.CharField(max_length=12, help_text="The first characters of the token, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ClosedAccount(models.Model):
    """What remains when a patient deletes her account: that she left and when, for her physio.

    None of her health data is kept; only the name her physio knew her by.
    """

    physio = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed_accounts"
    )
    display_name = models.CharField(max_length=150)
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-closed_at"]

    def __str__(self) -> str:
        return f"{self.display_name} closed the account on {self.closed_at:%Y-%m-%d}"
