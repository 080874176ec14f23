"""User accounts in the admin: for superusers only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from tracker.models import User
from tracker.services.tokens import revoke_all


class PasswordSetByAdminForm(AdminPasswordChangeForm):
    """A password an administrator sets is a reset: her API tokens are revoked too."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            revoke_all(user)
        return user


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Accounts, for superusers only: a physio must never list every user of the clinic."""

    change_password_form = PasswordSetByAdminForm

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
