"""The data stamp of a patient: changes whenever anything her charts or summary show changes.

Charts use it as their ETag and their cache key (tracker.charts.cache), so an unchanged chart is
never drawn twice, whoever asks; cached_data_version keeps it in the cache between writes.
"""

import hashlib
import logging

from django.core.cache import cache
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


# --- The stamp kept in the cache ------------------------------------------------------------------
# data_version reads every one of her rows (10 ms at 3 years of data): too dear for a chart served
# from the cache. The stamp is kept in Django's cache for STAMP_SECONDS and forgotten as soon as a
# write to her records commits (tracker.tasks' receivers; the CSV import calls forget_data_version
# itself). A write that neither sends a signal nor calls it (a raw SQL update, a backup restored)
# shows within STAMP_SECONDS; so does one committed while a reader was computing the old stamp.

STAMP_SECONDS = 300
logger = logging.getLogger("tracker.cache")


def _stamp_key(user_id: int) -> str:
    return f"data-version:{user_id}:{timezone.localdate().isoformat()}"


def cached_data_version(user: User) -> str:
    """data_version(user), from the cache when a recent copy is there; the cache down: computed."""
    key = _stamp_key(user.pk)
    try:
        stamp = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable: the data stamp of user %s is computed", user.pk, exc_info=True)
        return data_version(user)
    if stamp is None:
        stamp = data_version(user)
        try:
            cache.set(key, stamp, STAMP_SECONDS)
        except Exception:
            logger.warning("Cache unreachable: the data stamp of user %s not kept", user.pk, exc_info=True)
    return stamp


def forget_data_version(user_id: int) -> None:
    """Her records changed: the next reader computes the stamp again. Never raises."""
    try:
        cache.delete(_stamp_key(user_id))
    except Exception:
        logger.warning("Cache unreachable: the data stamp of user %s not forgotten", user_id, exc_info=True)
