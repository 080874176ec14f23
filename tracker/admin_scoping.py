"""Who sees what in the admin: a physio sees only the patients assigned to her and their records.

Every patient-owned ModelAdmin and inline uses `PatientScopedMixin`, so the rule lives in one
place. The admin looks objects up through `get_queryset`, so another physio's patient or record is
"not found" in every view built on it: change, delete, history, actions and the chart URLs.
Superusers see everything.
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from tracker.models import PHYSIO_GROUP, PatientProfile, User


def sees_everything(user) -> bool:
    return user.is_active and user.is_superuser


def is_physio(user) -> bool:
    """Staff in the Physiotherapists group; cached on the user object for the request."""
    if not hasattr(user, "_is_physio"):
        user._is_physio = bool(
            user.is_active and user.is_staff and user.groups.filter(name=PHYSIO_GROUP).exists()
        )
    return user._is_physio


def patients_of(user) -> QuerySet:
    """The patient accounts `user` may see: her assigned patients, or all patients for a superuser."""
    patients = User.objects.filter(profile__isnull=False)
    if sees_everything(user):
        return patients
    return patients.filter(profile__physio=user)


def assigned_filter(user, patient_path: str) -> Q:
    """A Q selecting the rows whose patient (reached through `patient_path`) is assigned to `user`."""
    if sees_everything(user):
        return Q()
    return Q(**{f"{patient_path}__profile__physio": user})


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
        patient = _follow(obj, self.patient_path)
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


def _follow(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj
