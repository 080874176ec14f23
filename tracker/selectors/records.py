"""Facts about all of a patient's records together."""

import datetime

from django.db.models import Min

from tracker.models import ExerciseSession, GirthMeasurement, HeelRiseTest, SymptomLog, User
from tracker.selectors.common import as_date


def first_record_date(user: User, *, excluding=None) -> datetime.date | None:
    """The date of her earliest measurement, heel-rise test, session or check-in (leaving out
    `excluding`, the record being edited); None when she has none."""
    firsts = []
    for model, field in ((GirthMeasurement, "date"), (HeelRiseTest, "date"), (SymptomLog, "date"),
                         (ExerciseSession, "performed_at")):
        records = model.objects.for_patient(user)
        if isinstance(excluding, model) and excluding.pk is not None:
            records = records.exclude(pk=excluding.pk)
        first = records.aggregate(first=Min(field))["first"]
        if first is not None:
            firsts.append(as_date(first))
    return min(firsts, default=None)
