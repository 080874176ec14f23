"""Small query helpers shared by the selectors."""

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight. Filtering a datetime column by it uses the index, unlike `__date` lookups."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def since(queryset, field: str, start: datetime.date | None):
    """Rows whose date `field` is on or after `start` (all rows when start is None)."""
    return queryset if start is None else queryset.filter(**{f"{field}__gte": start})


def since_moment(queryset, field: str, start: datetime.date | None):
    """Rows whose datetime `field` is on or after local midnight of `start`."""
    return queryset if start is None else queryset.filter(**{f"{field}__gte": day_start(start)})


def as_date(value) -> datetime.date:
    """TruncWeek/TruncDate give dates or (aware) datetimes depending on the field and backend."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def follow_path(obj, path: str):
    """obj.a.b for path "a__b"; None if a step is missing."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj
