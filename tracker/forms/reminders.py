"""Reminder settings (the patient's page) and the time-zone field every settings form shares."""

import datetime
import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone

from tracker import metrics
from tracker.models import WEEKDAY_NAMES, ReminderSettings, time_zone_names


def time_zone_choices() -> list[tuple[str, str]]:
    """Each zone with its offset now, e.g. "Asia/Kolkata (now UTC+05:30)": a name alone can mislead
    ("Etc/GMT+5" is five hours behind UTC)."""
    now = timezone.now()
    # Clocks change on a quarter hour at the finest: the labels are worked out once per quarter hour
    # (reading about 600 zone files costs more than the rest of the page).
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return [("", f"The clinic's time zone ({settings.TIME_ZONE})"), *_zones_with_offsets(quarter)]


@functools.lru_cache(maxsize=1)
def _zones_with_offsets(moment: datetime.datetime) -> tuple[tuple[str, str], ...]:
    return tuple((zone, f"{zone} (now UTC{_offset(moment, zone)})") for zone in time_zone_names())


def _offset(moment: datetime.datetime, zone: str) -> str:
    minutes = round(moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset().total_seconds() / 60)
    sign = "+" if minutes >= 0 else "\u2212"  # a minus sign, read as "minus"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def time_zone_field(**kwargs) -> forms.ChoiceField:
    """A time-zone list; static/tracker/time_zone.js picks the browser's zone while it is empty."""
    return forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        required=False,
        widget=forms.Select(attrs={"data-browser-time-zone": "", "autocomplete": "off"}),
        **kwargs,
    )


class ReminderSettingsForm(forms.ModelForm):
    """Her reminders. `programme_days` are the weekdays her programme expects (ticked until she
    chooses others); turning reminders on needs an e-mail address (`has_email`)."""

    session_days = forms.TypedMultipleChoiceField(
        label="Exercise days",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReminderSettings
        fields = ("enabled", "remind_at", "session", "session_days", "measurement", "heel_rise", "check_in",
                  "questionnaire")
        labels = {"enabled": "Send me reminder e-mails", "remind_at": "Time of day"}
        widgets = {"remind_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, programme_days: tuple[int, ...], has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_days = programme_days
        self.has_email = has_email
        low, high = metrics.REMINDER_TIME_RANGE
        self.fields["remind_at"].widget.attrs.update({"min": f"{low:%H:%M}", "max": f"{high:%H:%M}"})
        # Said in her words, not the validator's "less than or equal to 20:59:00".
        outside = f"Choose a time from {low:%H:%M} to {high:%H:%M}: no reminders are sent at night."
        self.fields["remind_at"].error_messages.update({"min_value": outside, "max_value": outside})
        chosen = self.instance.chosen_days()
        self.initial["session_days"] = list(programme_days if chosen is None else chosen)
        if programme_days:
            names = ", ".join(WEEKDAY_NAMES[day] for day in programme_days)
            help_text = f"Your programme's days ({names}) are ticked until you choose others."
        else:
            help_text = "Tick the days you plan to exercise."
        self.fields["session_days"].help_text = help_text

    def clean_enabled(self):
        enabled = self.cleaned_data["enabled"]
        if enabled and not self.has_email:
            raise forms.ValidationError("Add your e-mail address in your profile first, then turn them on.")
        return enabled

    def clean_session_days(self):
        days = tuple(sorted(set(self.cleaned_data["session_days"])))
        if days and days == tuple(sorted(self.programme_days)):
            return None  # follow the programme, also when the physio changes it
        return ReminderSettings.days_to_bits(days)
