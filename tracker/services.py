"""Writes that span several models, each in one transaction."""

from django.db import transaction

from tracker.models import PatientProfile, User


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
    **profile_fields,
) -> User:
    """Create a patient account together with her profile."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
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
    return user
