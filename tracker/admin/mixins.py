"""The mixins every clinic ModelAdmin is built from: a physio sees only the patients assigned to her
and their records (the rule itself is `tracker.access`).

Every patient-owned ModelAdmin and inline uses `PatientScopedMixin`, so the rule is applied in one
place. The admin looks objects up through `get_queryset`, so another physio's patient or record is
"not found" in every view built on it: change, delete, history, actions and the chart URLs.
Superusers see everything.

History pages (django-simple-history) follow the same rule through `ScopedHistoryMixin`; the
history of a deleted record is for superusers only.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tracker.access import assigned_filter, patients_of, sees_everything
from tracker.forms.common import FiniteDecimalField
from tracker.models import PatientProfile
from tracker.selectors.common import follow_path

HISTORY_LIST_TEMPLATE = "admin/tracker/history/object_history_list.html"
HISTORY_FORM_TEMPLATE = "admin/tracker/history/object_history_form.html"


class HostileQueryChangeList(ChangeList):
    """The admin's ChangeList, answering two more kinds of bad query string with its usual "bad
    parameters" redirect instead of a 500: a year too large for a date (Django catches only
    ValueError there, not OverflowError) and a NUL byte (PostgreSQL refuses it in text)."""

    def get_filters(self, request):
        if any("\x00" in value for value in request.GET.values()):
            raise IncorrectLookupParameters("NUL byte in the query string")
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(str(error)) from error


class ClinicAdminMixin:
    """Shared by every clinic ModelAdmin and inline.

    - An object that is not found (or is outside the caseload, which is the same thing) is a 404,
      like everywhere else in the app, instead of the admin's redirect with a message.
    - Decimal inputs refuse NaN and infinity while parsing (see `FiniteDecimalField`).
    """

    formfield_overrides = {models.DecimalField: {"form_class": FiniteDecimalField}}

    def get_changelist(self, request, **kwargs):
        return HostileQueryChangeList

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"No {opts.verbose_name} with the id {object_id!r} in your caseload.")


class PatientScopedMixin:
    """For ModelAdmins and inlines of patient-owned records (a `patient` FK to User).

    - `get_queryset`: only rows of the physio's assigned patients (everything for superusers);
    - `formfield_for_foreignkey`: the `patient` choices are her patients only;
    - `has_*_permission(obj)`: False for an object outside her caseload (defence in depth: the
      admin views cannot even find such objects);
    - `read_only_for_physios`: records patients own (sessions, check-ins) stay read-only for
      everyone but superusers, whatever permissions a group is given later.
    """

    patient_path = "patient"
    read_only_for_physios = False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(assigned_filter(request.user, self.patient_path))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "patient":
            kwargs["queryset"] = patients_of(request.user).order_by("last_name", "first_name", "username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def owns(self, request: HttpRequest, obj) -> bool:
        """Whether obj (a record, or the parent profile for inlines) belongs to the caseload."""
        if obj is None or sees_everything(request.user):
            return True
        if isinstance(obj, PatientProfile):
            return obj.physio_id == request.user.pk
        patient = follow_path(obj, self.patient_path)
        profile = getattr(patient, "profile", None) if patient is not None else None
        return profile is not None and profile.physio_id == request.user.pk

    def _writable(self, request: HttpRequest) -> bool:
        return sees_everything(request.user) or not self.read_only_for_physios

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.owns(request, obj)

    def has_add_permission(self, request, *args):
        return self._writable(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        allowed = self._writable(request) and super().has_change_permission(request, obj)
        return allowed and self.owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = self._writable(request) and super().has_delete_permission(request, obj)
        return allowed and self.owns(request, obj)


class ScopedHistoryMixin:
    """History, version and revert pages under the caseload rule; put it before SimpleHistoryAdmin.

    SimpleHistoryAdmin finds a deleted object in the historical table, opens any version by its id
    without asking `get_queryset`, and answers 403 for an object it should not show. Here:
    - the object is looked up through `history_lookup_queryset` (her caseload): another physio's
      record is "not found" (404) on every history URL, like everywhere else in the admin;
    - a deleted record (no live object) is a 404 for everyone but superusers;
    - only versions whose patient is hers are listed or opened (`history_patient_path`), so a
      record once filed under another patient shows only her part;
    - reverting needs the change permission: SimpleHistoryAdmin checks only "view" on POST.
    """

    history_patient_path = "patient"  # on the historical model

    def history_lookup_queryset(self, request: HttpRequest) -> QuerySet:
        return self.get_queryset(request)

    def history_object(self, request: HttpRequest, object_id: str):
        """The live object `request.user` may see; None for a deleted one (superusers only), else 404."""
        obj = self.history_lookup_queryset(request).filter(pk=_int_or_404(object_id)).first()
        if obj is None and not sees_everything(request.user):
            raise Http404("No such record in your caseload.")
        request._history_live_object = obj
        return obj

    def _as_now(self, request: HttpRequest, obj):
        """SimpleHistoryAdmin asks about a version; the access rule is about the record as it is now
        (an old version of a profile names the physio it had then)."""
        live = getattr(request, "_history_live_object", None)
        return live if obj is not None and live is not None and live.pk == obj.pk else obj

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return super().has_view_history_or_change_history_permission(request, self._as_now(request, obj))

    def has_view_history_permission(self, request, obj=None):
        return super().has_view_history_permission(request, self._as_now(request, obj))

    def has_change_history_permission(self, request, obj=None):
        return super().has_change_history_permission(request, self._as_now(request, obj))

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return records.filter(assigned_filter(request.user, self.history_patient_path))

    def history_view(self, request, object_id, extra_context=None):
        obj = self.history_object(request, object_id)
        extra_context = {"record_deleted": obj is None, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.history_object(request, object_id)
        pk_name = self.opts.pk.attname
        versions = self.get_history_queryset(request, self.model.history, pk_name, _int_or_404(object_id))
        version = versions.filter(history_id=_int_or_404(version_id)).first()
        if version is None:
            raise Http404("No such version.")
        if request.method == "POST" and not self.has_change_permission(request, obj or version.instance):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _int_or_404(value: str) -> int:
    try:
        return int(unquote(value))
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
