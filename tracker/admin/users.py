"""User accounts in the admin: for superusers only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import path
from django.views.decorators.http import require_http_methods

from tracker.admin.alerts import my_settings_view
from tracker.models import User


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Accounts, for superusers only: a physio must never list every user of the clinic."""

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
