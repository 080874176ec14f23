"""User accounts in the admin: for superusers only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tracker.models import User


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Accounts, for superusers only: a physio must never list every user of the clinic."""

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
