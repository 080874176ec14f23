"""Queries that feed pages and charts. Each returns plain data; no page logic here."""

from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    SymptomLog,
    User,
)


def profile_for(user: User) -> PatientProfile:
    return user.profile


def dashboard_summary(user: User) -> dict:
    profile = profile_for(user)
    return {
        "profile": profile,
        "latest_measurement": GirthMeasurement.objects.for_patient(user).first(),
        "latest_heel_rise": HeelRiseTest.objects.for_patient(user).first(),
        "latest_session": ExerciseSession.objects.for_patient(user)
        .prefetch_related("entries__exercise")
        .first(),
        "latest_symptoms": SymptomLog.objects.for_patient(user).first(),
    }
