"""People: the user account, the patient's profile, API tokens and closed accounts."""

import zoneinfo
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import formatting, metrics, usernames
from tracker.models.base import Range, after_1900, not_before_1900, not_in_future

PHYSIO_GROUP = "Physiotherapists"
TARGET_LSI = Range(*(Decimal(bound) for bound in metrics.TARGET_LSI_RANGE))
BIRTH_YEAR = Range(1900, 2100)  # the table's CHECK; a year after this one is refused by the validator


def plausible_birth_year(year: int) -> None:
    """From 1900 to this year: a birth year in the future is a typo (the profile, the admin, the API)."""
    this_year = timezone.localdate().year
    if not BIRTH_YEAR.low <= year <= this_year:
        raise ValidationError(
            f"Enter a year from {BIRTH_YEAR.low} to {this_year}, or leave it empty.", code="birth_year"
        )


class AffectedSide(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"
    UNKNOWN = "unknown", "Not known"


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted (e.g. "Europe/London")."""
    return tuple(sorted(zoneinfo.available_timezones()))


def valid_time_zone(value: str) -> None:
    if value and value not in time_zone_names():
        raise ValidationError("Choose a time zone from the list, e.g. Europe/London.")


class User(AbstractUser):
    """Patients are ordinary users; physiotherapists are staff in the Physiotherapists group
    (`tracker.access.is_physio`)."""

    # AbstractUser's field with one message of ours: a username taken (in any case) reads the same on
    # the sign-up page and in the admin's new-patient form.
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
        validators=[AbstractUser.username_validator],
        error_messages={"unique": usernames.TAKEN},
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[valid_time_zone],
        help_text="Reminders and dates follow this zone. Empty: the clinic's own time zone.",
    )

    def clean(self):
        """A username in one script, and not a look-alike of another user's (tracker.usernames).

        Sign-up, the admin's forms and any other ModelForm reach this through full_clean().
        """
        super().clean()  # normalises the username (NFKC)
        if not self.username:
            return
        others = User.objects.exclude(pk=self.pk).values_list("username", flat=True)
        if usernames.looks_like(self.username, others.iterator()):
            raise ValidationError({"username": usernames.LOOKS_LIKE_ANOTHER}, code="look_alike")
        if not usernames.is_one_script(self.username):
            raise ValidationError({"username": usernames.ONE_SCRIPT}, code="mixed_scripts")

    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def zone(self) -> zoneinfo.ZoneInfo:
        """Her time zone (the site's TIME_ZONE until she chooses one)."""
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)


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
    # The heel-rise target: girth has a fixed goal in centimetres (metrics.girth_verdict), not an LSI.
    target_lsi = models.DecimalField(
        "heel-rise target LSI (%)",
        max_digits=4,
        default=Decimal(str(metrics.DEFAULT_TARGET_LSI)),
        **TARGET_LSI.decimal_field_options(1),
        help_text=(
            f"The heel-rise limb symmetry index to aim for; {metrics.DEFAULT_TARGET_LSI:g}% is the usual "
            "return-to-sport target. Girth is judged in centimetres (goal: the involved calf less than "
            f"{metrics.GIRTH_NORMAL_MAX_CM:g} cm smaller)."
        ),
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[plausible_birth_year])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "patient"
        constraints = [
            TARGET_LSI.check("target_lsi"),
            BIRTH_YEAR.check("birth_year", nullable=True),
            models.CheckConstraint(
                condition=Q(affected_side__in=AffectedSide.values),
                name="tracker_profile_affected_side_valid",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["cm", "in"]), name="tracker_profile_unit_valid"
            ),
            after_1900("onset_date", "tracker_profile_onset_after_1900", nullable=True),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user.display_name()}"


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
        closed = formatting.day(timezone.localdate(self.closed_at))
        return f"{self.display_name} closed the account on {closed}"
