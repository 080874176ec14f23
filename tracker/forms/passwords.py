"""Changing a password: also revoke her API tokens? Ticked unless she unticks it."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class PasswordChangeWithTokensForm(PasswordChangeForm):
    revoke_tokens = forms.BooleanField(
        label="Also revoke my API tokens",
        required=False,
        initial=True,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        count = user.api_tokens.count()
        if count:
            self.fields["revoke_tokens"].help_text = (
                f"You have {count} API token{'s' if count != 1 else ''}. Apps using them keep working after "
                "a password change unless you revoke them; if you changed your password because it may be "
                "known to someone else, revoke them and create new ones on your profile page."
            )
        else:
            del self.fields["revoke_tokens"]
