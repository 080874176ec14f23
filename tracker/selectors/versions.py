"""The data stamp of a patient: changes whenever anything her charts or summary show changes.

Charts use it as their ETag (and, later, as their cache key), so an unchanged chart is never
drawn twice for the same browser.
"""

import hashlib

from django.db.models import CharField, Count, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Prescription,
    SymptomLog,
    User,
)


def _stamp(queryset, field: str):
    """'<latest change>|<row count>' of a patient's rows, as one scalar subquery."""
    summary = (
        queryset.order_by()
        .values("owner")
        .annotate(
            stamp=Concat(
                Cast(Max(field), CharField()),
                Value("|"),
                Cast(Count("pk"), CharField()),
                output_field=CharField(),
            )
        )
        .values("stamp")[:1]
    )
    return Coalesce(Subquery(summary), Value("-"), output_field=CharField())


def data_version(user: User) -> str:
    """Changes whenever any of the patient's records or her profile changes; one query."""
    owner = OuterRef("pk")
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            girth=_stamp(
                GirthMeasurement.objects.annotate(owner=F("patient")).filter(owner=owner), "updated_at"
            ),
            heel=_stamp(HeelRiseTest.objects.annotate(owner=F("patient")).filter(owner=owner), "updated_at"),
            sessions=_stamp(
                ExerciseSession.objects.annotate(owner=F("patient")).filter(owner=owner), "updated_at"
            ),
            entries=_stamp(
                ExerciseEntry.objects.annotate(owner=F("session__patient")).filter(owner=owner), "id"
            ),
            symptoms=_stamp(
                SymptomLog.objects.annotate(owner=F("patient")).filter(owner=owner), "updated_at"
            ),
            programme=_stamp(
                Prescription.objects.annotate(owner=F("patient")).filter(owner=owner), "created_at"
            ),
            profile_state=Concat(
                F("profile__affected_side"),
                Value("|"),
                F("profile__unit"),
                Value("|"),
                Cast(F("profile__target_lsi"), CharField()),
                Value("|"),
                Coalesce(F("profile__sex"), Value("")),
                output_field=CharField(),
            ),
        )
        .values_list("girth", "heel", "sessions", "entries", "symptoms", "programme", "profile_state")
        .first()
    )
    return hashlib.sha256(repr((row, timezone.localdate().isoformat())).encode()).hexdigest()[:32]
