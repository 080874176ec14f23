"""Queries behind the symptom check-in pages; always scoped to one patient."""

import datetime

from django.db.models import QuerySet

from tracker.models import SymptomLog, User


def symptom_logs(patient: User) -> QuerySet[SymptomLog]:
    """The patient's check-ins, newest first."""
    return SymptomLog.objects.for_patient(patient).order_by("-date")


def symptom_log_on(patient: User, day: datetime.date) -> SymptomLog | None:
    """The patient's check-in for one day, if there is one (at most one per day)."""
    return SymptomLog.objects.for_patient(patient).filter(date=day).first()


def symptom_logs_for_export(patient: User) -> QuerySet[SymptomLog]:
    return SymptomLog.objects.for_patient(patient).order_by("date")
