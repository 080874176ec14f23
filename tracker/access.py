"""Who may see whose data: a patient her own; a physio her assigned patients; a superuser everyone.

Used by the admin and the API, so the rule lives in one place.
"""

from django.db.models import Q, QuerySet

from tracker.models import PHYSIO_GROUP, ExerciseEntry, ExerciseMedia, Prescription, User


def sees_everything(user) -> bool:
    return user.is_active and user.is_superuser


def is_physio(user) -> bool:
    """Staff in the Physiotherapists group; cached on the user object for the request."""
    if not hasattr(user, "_is_physio"):
        user._is_physio = bool(
            user.is_active and user.is_staff and user.groups.filter(name=PHYSIO_GROUP).exists()
        )
    return user._is_physio


def is_clinician(user) -> bool:
    """Reads patients' data on behalf of the clinic: a physio or a superuser."""
    return sees_everything(user) or is_physio(user)


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


def physios() -> QuerySet:
    """Every physiotherapist account, for the assignment choices."""
    return User.objects.filter(is_staff=True, groups__name=PHYSIO_GROUP).order_by("last_name", "username")


def visible_media(user) -> QuerySet:
    """The exercise photos and videos `user` may open.

    A patient: those for her own prescriptions, and those her physio uploaded for an exercise she
    is prescribed. A physio: those for her patients' prescriptions and her own exercise uploads.
    A superuser: all. Anybody else: none.
    """
    media = ExerciseMedia.objects.all()
    if not user.is_authenticated or not user.is_active:
        return media.none()
    if sees_everything(user):
        return media
    if is_physio(user):
        return media.filter(Q(prescription__patient__profile__physio=user) | Q(prescription__isnull=True,
                                                                                uploaded_by=user))
    profile = getattr(user, "profile", None)
    if profile is None:
        return media.none()
    own = Q(prescription__patient=user)
    if profile.physio_id is not None:
        prescribed = Prescription.objects.filter(patient=user).values("exercise_id")
        own |= Q(prescription__isnull=True, uploaded_by_id=profile.physio_id, exercise_id__in=prescribed)
    return media.filter(own)


def may_edit_exercise(user, exercise) -> bool:
    """The shared exercise library: a superuser edits any exercise; a physio only one she added,
    and only while no patient but hers uses it (prescribed or logged). The library the app ships
    with (no creator) is for superusers only."""
    if sees_everything(user):
        return True
    if exercise.pk is None:
        return is_physio(user)
    if not is_physio(user) or exercise.created_by_id != user.pk:
        return False
    not_hers = ~Q(patient__profile__physio=user) | Q(patient__profile__physio__isnull=True)
    prescribed = Prescription.objects.filter(exercise=exercise).filter(not_hers).exists()
    logged = ExerciseEntry.objects.filter(exercise=exercise).exclude(session__patient__profile__physio=user)
    return not prescribed and not logged.exists()
