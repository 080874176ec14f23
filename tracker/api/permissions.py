"""Whose data a request may see: a patient her own; a physio one assigned patient at a time.

- A patient reads and writes her own records. She never passes ?patient= (400 if she does).
- A physiotherapist (or a superuser) passes ?patient=<user id> of one of her assigned patients
  (tracker.access.patients_of): another patient is 404, no ?patient= is 400. Physios have
  read-only access through the API: their writes are 403.
- Anybody else (staff without the physio group and without a profile) is 403.
"""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tracker.access import is_clinician, patients_of
from tracker.models import User

PATIENT_PARAM = "patient"
MAX_ID = 2**63 - 1  # BigAutoField: a larger id cannot exist (and PostgreSQL would refuse it)


def data_owner(request) -> User:
    """The patient whose records the request reads or writes; cached on the request."""
    if not hasattr(request, "_data_owner"):
        request._data_owner = _find_owner(request)
    return request._data_owner


def _find_owner(request) -> User:
    user = request.user
    raw = request.query_params.get(PATIENT_PARAM)
    if is_clinician(user):
        if raw is None:
            raise exceptions.ValidationError(
                {PATIENT_PARAM: ["Pass ?patient=<id>: the user id of one of your patients."]}
            )
        if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
            raise exceptions.ValidationError({PATIENT_PARAM: ["A patient id is a positive whole number."]})
        patient = patients_of(user).select_related("profile").filter(pk=int(raw)).first()
        if patient is None:
            raise exceptions.NotFound("No patient with this id among your patients.")
        return patient
    if not hasattr(user, "profile"):
        raise exceptions.PermissionDenied("The API is for patients and their physiotherapists.")
    if raw is not None:
        raise exceptions.ValidationError(
            {PATIENT_PARAM: ["Leave out ?patient=: you always see your own records."]}
        )
    return user


class PatientData(BasePermission):
    """Resolves the data owner (400/403/404 as above); physios may only read."""

    message = "Physiotherapists have read-only access through the API."

    def has_permission(self, request, view) -> bool:
        owner = data_owner(request)
        return request.method in SAFE_METHODS or owner.pk == request.user.pk
