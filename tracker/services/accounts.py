"""Patient accounts: creating one with her profile, and deleting one with everything in it."""

import operator
from functools import reduce

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, Q

from tracker.models import (
    ClosedAccount,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    ReminderSettings,
    SymptomLog,
    User,
)


@transaction.atomic
def create_patient(
    *,
    username: str,
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    affected_side: str = "unknown",
    condition: str = "",
    unit: str = PatientProfile.Unit.CM,
    physio: User | None = None,
    time_zone: str = "",
    reminders: bool = False,
    **profile_fields,
) -> User:
    """Create a patient account together with her profile (and her reminders, when she asks for them)."""
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, time_zone=time_zone
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    profile = PatientProfile(
        user=user,
        affected_side=affected_side,
        condition=condition,
        unit=unit,
        physio=physio,
        **profile_fields,
    )
    profile.full_clean()
    profile.save()
    if reminders:
        ReminderSettings.objects.create(user=user, enabled=True)
    return user


def _historical_models() -> list[type[Model]]:
    return [model for model in apps.get_app_config("tracker").get_models() if hasattr(model, "history_id")]


@transaction.atomic
def delete_account(user: User) -> ClosedAccount:
    """Delete a patient and everything about her; leave her physio a note that she left.

    Deleting the user cascades to her profile, records and API tokens. The audit history
    (simple-history) has no foreign-key constraints, so its rows are purged here, as are the admin
    log entries about her records (those deleted earlier included: found in the history), her login
    sessions and login-attempt records.
    """
    profile = user.profile
    closed = ClosedAccount.objects.create(physio=profile.physio, display_name=user.display_name())
    user_id, username = user.pk, user.get_username()
    owned_ids = _owned_object_ids(user)
    # Includes sessions deleted earlier: their entries' history still points at them.
    session_ids = set(
        apps.get_model("tracker", "HistoricalExerciseSession")
        ._default_manager.filter(patient_id=user_id)
        .values_list("id", flat=True)
    ) | owned_ids.get(ExerciseSession, set())

    user.delete()  # simple-history records the cascade deletions; purged just below

    for model in _historical_models():
        fields = {field.name for field in model._meta.fields}
        conditions = [Q(**{f"{owner}_id": user_id}) for owner in ("patient", "user") if owner in fields]
        if "session" in fields:
            conditions.append(Q(session_id__in=session_ids))
        history = model._default_manager
        if conditions:
            hers = history.filter(reduce(operator.or_, conditions))
            # Records deleted before she left have admin-log rows too; their ids are only here now.
            original = model.instance_type
            ids = hers.values_list(original._meta.pk.attname, flat=True)
            owned_ids.setdefault(original, set()).update(ids)
            hers.delete()
        history.filter(history_user_id=user_id).update(history_user=None)

    for model, ids in owned_ids.items():
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids]).delete()

    _delete_login_traces(user_id, username)
    return closed


def _owned_object_ids(user: User) -> dict[type[Model], set[int]]:
    """Ids of her account and every record of hers, by model (for the admin log clean-up)."""
    owned = {
        User: {user.pk},
        PatientProfile: {user.profile.pk},
        ExerciseSession: set(ExerciseSession.objects.filter(patient=user).values_list("pk", flat=True)),
    }
    for model in (GirthMeasurement, HeelRiseTest, SymptomLog, Prescription, PhysioNote):
        owned[model] = set(model.objects.filter(patient=user).values_list("pk", flat=True))
    entry_model = apps.get_model("tracker", "ExerciseEntry")
    owned[entry_model] = set(
        entry_model.objects.filter(session__patient=user).values_list("pk", flat=True)
    )
    return owned


def _delete_login_traces(user_id: int, username: str) -> None:
    """Her sessions on other devices and django-axes' records of her log-ins."""
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        apps.get_model(label).objects.filter(username=username).delete()
