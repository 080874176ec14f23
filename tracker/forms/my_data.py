"""Re-entering the password before deleting the account."""

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is really you.",
    )

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # authenticate(), not check_password(): django-axes counts the failures, so this form
        # cannot be used to guess her password from a borrowed session.
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
