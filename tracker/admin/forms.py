"""Admin forms: a new patient with her account, and a programme template to start."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker import usernames
from tracker.models import PatientProfile, PhysioNote, Progression, User
from tracker.programmes import PROGRAMME_TEMPLATES


class PatientCreationForm(forms.ModelForm):
    """The account fields and the profile together; `create_patient` does the writing."""

    username = UsernameField(max_length=150, help_text="What she types to log in.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(help_text="She resets her password with it.")
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Optional: leave both password fields empty and she sets her own with "
        "“Forgotten your password?” on the login page.",
    )
    password2 = forms.CharField(
        label="Password again",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = PatientProfile
        fields = ["affected_side", "condition", "onset_date", "unit", "target_lsi", "sex", "birth_year"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(usernames.TAKEN, code="unique")
        return username

    def clean(self):
        cleaned = super().clean()
        account = User(
            username=cleaned.get("username", ""),
            email=cleaned.get("email", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        try:
            account.full_clean(exclude=["password"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 or password2:
            if password1 != password2:
                self.add_error("password2", "The two passwords differ. Type the same password twice.")
            else:
                try:
                    password_validation.validate_password(password1, account)
                except ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


class ProgrammeTemplateForm(forms.Form):
    template = forms.ChoiceField(
        label="Start from a template",
        choices=[(key, template.label) for key, template in PROGRAMME_TEMPLATES.items()],
    )
    mode = forms.ChoiceField(
        label="Next steps",
        choices=[(mode, mode.label) for mode in (Progression.APPROVAL, Progression.AUTO)],
        initial=Progression.APPROVAL,
        required=False,
    )
    start_date = forms.DateField(
        label="Starting on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_mode(self):
        return self.cleaned_data["mode"] or Progression.APPROVAL

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start.year < 1900 or start > timezone.localdate() + datetime.timedelta(days=366):
            raise ValidationError("Enter a start date from 1900 up to a year from now.")
        return start


class NoteForm(forms.Form):
    """The review page's note: sent to the patient unless "private" is ticked."""

    text = forms.CharField(
        max_length=PhysioNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the note first."},
    )
    private = forms.BooleanField(
        required=False,
        label="Private note: only the clinic sees it (not sent to the patient)",
    )

    def __init__(self, *args, patient: User, **kwargs):
        super().__init__(*args, **kwargs)
        first_name = patient.first_name or patient.display_name()
        self.fields["text"].label = f"Note to {first_name}"
        self.fields["text"].help_text = (
            f"{first_name} sees it in her messages and on her dashboard, with your name."
        )
