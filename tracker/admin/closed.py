"""Closed accounts in the admin: a physio sees which of her patients left, and when.

Read-only (superusers may delete old entries). The Physiotherapists group has no
`view_closedaccount` permission (its permissions come from a data migration), so physios are let
in explicitly here, and each sees only her own former patients; superusers see all.
"""

from django.contrib import admin
from django.http import HttpRequest

from tracker.access import is_physio, sees_everything
from tracker.admin.mixins import ClinicAdminMixin
from tracker.models import ClosedAccount


@admin.register(ClosedAccount)
class ClosedAccountAdmin(ClinicAdminMixin, admin.ModelAdmin):
    list_display = ("display_name", "closed_at", "physio")
    list_select_related = ("physio",)
    date_hierarchy = "closed_at"
    search_fields = ("display_name",)
    fields = ("display_name", "closed_at", "physio")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        return queryset.filter(physio=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_physio(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if sees_everything(request.user):
            return True
        allowed = is_physio(request.user) or super().has_view_permission(request, obj)
        return allowed and (obj is None or obj.physio_id == request.user.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return sees_everything(request.user)
