"""E-mail reminders and alerts: who wants which, and the record of each one claimed and sent.

`SentReminder` is the claim: a reminder is recorded (user, kind, local date) *before* it is sent, and
the unique constraint lets only one consumer win, so several consumers on several machines never
send it twice. Its status says what became of it, so a crash after the claim is retried, not lost.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tracker import metrics
from tracker.models.accounts import User
from tracker.models.base import Range

REMINDER_TIME = Range.of(metrics.REMINDER_TIME_RANGE)
WEEKDAY_BITS = Range(0, 2**7 - 1)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ReminderSettings(models.Model):
    """A patient's reminder e-mails. Off until she turns them on (her consent); no row = off."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="reminder_settings")
    enabled = models.BooleanField("send me reminder e-mails", default=False)
    remind_at = models.TimeField(
        "at",
        default=metrics.REMINDER_DEFAULT_TIME,
        validators=REMINDER_TIME.validators(),
        help_text=(
            f"Your local time, between {REMINDER_TIME.low:%H:%M} and {REMINDER_TIME.high:%H:%M} "
            "(no reminders at night)."
        ),
    )
    session = models.BooleanField("on my exercise days, if I have not logged a session", default=True)
    # Weekdays as bits (Monday = 1, Tuesday = 2, ... Sunday = 64); empty = the days her programme expects.
    session_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=WEEKDAY_BITS.validators()
    )
    measurement = models.BooleanField(
        f"when my last calf measurement is {metrics.MEASUREMENT_REMINDER_DAYS} days old", default=True
    )
    heel_rise = models.BooleanField(
        f"for a heel-rise test every {metrics.HEEL_RISE_REMINDER_DAYS // 7} weeks", default=True
    )
    check_in = models.BooleanField("for my daily check-in, if I have not done it", default=False)
    questionnaire = models.BooleanField("when my physiotherapist's questionnaire is due", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            REMINDER_TIME.check("remind_at"),
            WEEKDAY_BITS.check("session_days", nullable=True),
        ]

    def __str__(self) -> str:
        return f"Reminders of {self.user.display_name()} ({'on' if self.enabled else 'off'})"

    def clean(self):
        if self.enabled and self.session and self.session_days == 0:
            raise ValidationError(
                {"session_days": "Tick at least one day, or turn the session reminder off."}
            )

    def chosen_days(self) -> tuple[int, ...] | None:
        """Her chosen weekdays (0 = Monday), or None to follow her programme."""
        if self.session_days is None:
            return None
        return tuple(day for day in range(7) if self.session_days & (1 << day))

    @staticmethod
    def days_to_bits(days) -> int:
        return sum(1 << int(day) for day in set(days))


class AlertSettings(models.Model):
    """A physiotherapist's e-mails about her caseload; no row = both on, the digest at 07:30."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="alert_settings")
    urgent_alerts = models.BooleanField(
        "e-mail me at once when a patient logs a warning sign", default=True
    )
    daily_digest = models.BooleanField(
        "e-mail me a daily list of the patients who need attention", default=True
    )
    digest_at = models.TimeField(
        "send the daily list at", default=metrics.DIGEST_DEFAULT_TIME, help_text="Your local time."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"Alerts of {self.user.display_name()}"


class SentReminder(models.Model):
    """One reminder or alert, claimed before it is sent. `user` is the person it is about (the
    patient, for an alert to her physio); `kind` names its kind ("session", "red_flag:tear_pop", ...)."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not sent yet"
        SENDING = "sending", "Being sent"
        RETRYING = "retrying", "Failed, will be retried"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, gave up"
        SKIPPED = "skipped", "Not sent: no longer wanted"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sent_reminders")
    kind = models.CharField(max_length=60)
    local_date = models.DateField(help_text="The day in the user's own time zone.")
    # Kinds sharing a group are at most one a day per user (the patient's reminders: "reminder").
    daily_group = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Nobody else may try it before this moment: the lease of a sender, or the back-off after a failure.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="tracker_reminder_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["user", "daily_group", "local_date"],
                condition=~Q(daily_group=""),
                name="tracker_reminder_group_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "sending", "retrying", "sent", "failed", "skipped"]),
                name="tracker_reminder_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user.get_username()} on {self.local_date} ({self.status})"
