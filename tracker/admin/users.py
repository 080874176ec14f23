"""User accounts in the admin: for superusers only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.urls import path
from django.views.decorators.http import require_http_methods

from tracker.admin.alerts import my_settings_view
from tracker.models import User
from tracker.services import two_factor
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
    def get_urls(self):
        # Every staff member's own e-mail settings (admin.alerts): /admin/tracker/user/my-settings/.
        mine = self.admin_site.admin_view(require_http_methods(["GET", "POST"])(my_settings_view))
        return [path("my-settings/", mine, name="tracker_user_my_settings"), *super().get_urls()]

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

    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (lost phone): remove the app and recovery codes")
    def reset_two_factor(self, request, queryset):
        """For a user who lost her phone and her recovery codes: she signs in with her password and
        (staff: must) set up a new app. Recorded in the admin log of each user."""
        for user in queryset:
            two_factor.remove_second_factor(user)
            self.log_change(request, user, "Reset two-factor sign-in (lost device): app and codes removed.")
        self.message_user(request, f"Two-factor sign-in reset for {queryset.count()} user(s).")
