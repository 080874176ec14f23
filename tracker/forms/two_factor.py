"""The code asked for at the second step of signing in, and when setting up an authenticator app."""

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class AppCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code the authenticator app shows for Calf Rehab Tracker."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
