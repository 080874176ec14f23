"""Password change and reset: Django's views, which also revoke her API tokens.

A browser session ends with a password change or reset (Django checks a hash of the password);
an API token would not. After a reset the tokens are always revoked (whoever reset the password
may not be the one who created them); after a change she is asked, with "revoke" ticked.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views

from tracker.forms.passwords import PasswordChangeWithTokensForm
from tracker.services.tokens import revoke_all


def _say_revoked(request, count: int) -> None:
    if count:
        messages.info(
            request,
            f"{count} API token{'s were' if count != 1 else ' was'} revoked: apps using "
            f"{'them' if count != 1 else 'it'} can no longer connect. Create new ones on your profile page.",
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeWithTokensForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("revoke_tokens"):
            _say_revoked(self.request, revoke_all(form.user))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        _say_revoked(self.request, revoke_all(form.user))
        return response


password_change = PasswordChangeView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
