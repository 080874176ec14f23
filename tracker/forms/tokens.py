"""Naming a new personal API token."""

from django import forms

from tracker.models import ApiToken, User
from tracker.services.tokens import MAX_TOKENS_PER_USER


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": "Token name"}
        help_texts = {"name": 'What the token is for, e.g. "Phone shortcut" or "Smart tape".'}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].widget.attrs.update({"autocomplete": "off", "maxlength": 60})

    def clean(self):
        data = super().clean()
        if self.user.api_tokens.count() >= MAX_TOKENS_PER_USER:
            raise forms.ValidationError(
                f"You already have {MAX_TOKENS_PER_USER} tokens. Revoke one you no longer use first."
            )
        return data
