from django import forms
from django.contrib.auth.forms import UserCreationForm

from tracker.forms.reminders import time_zone_field
from tracker.models import PatientProfile, User


class SignupForm(UserCreationForm):
    """A patient's own sign-up: account plus the two facts the app needs from day one."""

    affected_side = forms.ChoiceField(
        label="Which calf is affected?",
        choices=PatientProfile._meta.get_field("affected_side").choices,
        initial="unknown",
    )
    condition = forms.CharField(
        label="Your condition",
        max_length=200,
        required=False,
        help_text='In your own words, e.g. "Atrophy of the medial head of the left gastrocnemius".',
    )
    unit = forms.ChoiceField(
        label="Show measurements in",
        choices=PatientProfile.Unit.choices,
        initial=PatientProfile.Unit.CM,
    )
    time_zone = time_zone_field(help_text="Filled in from your device; reminders come at your local time.")
    reminders = forms.BooleanField(
        label="E-mail me reminders to exercise, measure and check in",
        required=False,
        help_text=(
            "At most one a day, never at night, nothing about your health in them; one click stops them. "
            "Needs your e-mail address. You can change this in your profile at any time."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reminders") and not cleaned.get("email"):
            self.add_error("reminders", "Enter your e-mail address above to get reminders.")
        return cleaned

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "email")
        labels = {"first_name": "First name"}
        help_texts = {"email": "Optional, but without it you cannot reset a forgotten password."}
