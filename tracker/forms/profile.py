from django import forms
from django.utils import timezone

from tracker import metrics
from tracker.forms.common import set_number_limits
from tracker.forms.reminders import time_zone_field
from tracker.models import PatientProfile, User
from tracker.models.accounts import BIRTH_YEAR


class ProfileForm(forms.ModelForm):
    """The patient's own settings. Ranges are model validators (the birth year stops at this year)."""

    class Meta:
        model = PatientProfile
        fields = ("affected_side", "condition", "onset_date", "unit", "target_lsi", "sex", "birth_year")
        labels = {
            "affected_side": "Which calf is affected?",
            "condition": "Your condition",
            "onset_date": "When did it start?",
            "unit": "Show measurements in",
            "target_lsi": "Heel-rise target: limb symmetry index (%)",
            "sex": "Sex (optional)",
            "birth_year": "Year of birth (optional)",
        }
        help_texts = {
            "onset_date": "Optional. An approximate date is fine.",
            "unit": (
                "Calf girth is entered and shown in this unit on every page. It is always stored in "
                "centimetres, so you can switch at any time without changing your data."
            ),
            "target_lsi": (
                "Heel rises of the affected leg compared with the other one, "
                f"{metrics.TARGET_LSI_RANGE[0]} to {metrics.TARGET_LSI_RANGE[1]}. "
                f"{metrics.DEFAULT_TARGET_LSI:g}% is the usual return-to-sport target; your "
                "physiotherapist may suggest another. Calf girth has its own goal in centimetres: the "
                f"affected calf less than {metrics.GIRTH_NORMAL_MAX_CM:g} cm smaller."
            ),
            "sex": "Used only to compare your heel-rise test with the norm for women or men.",
        }
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date", "min": "1900-01-01"}, format="%Y-%m-%d"),
            "target_lsi": forms.NumberInput(attrs={"step": "0.1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_number_limits(self)
        today = timezone.localdate()
        self.fields["sex"].choices = [("", "Not given"), *PatientProfile.Sex.choices]
        self.fields["onset_date"].widget.attrs["max"] = today.isoformat()
        # (The range itself is checked by the model: plausible_birth_year.)
        self.fields["birth_year"].widget.attrs.update(
            {"min": BIRTH_YEAR.low, "max": today.year, "inputmode": "numeric"}
        )


class AccountForm(forms.ModelForm):
    """Her name, e-mail and time zone, edited on the same page as the profile."""

    time_zone = time_zone_field(help_text="Reminders come at your local time; dates follow it too.")

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "time_zone")
        help_texts = {"email": "Used for reminders you turn on, and to reset your password if you forget it."}
