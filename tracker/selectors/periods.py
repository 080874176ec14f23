"""What one point or bar of a progress chart stands for: a day (or one record), a week, a month, a
quarter or a year; and which of these a chart uses, so that its cost is bounded whatever the data.

Week by week up to metrics.CHART_WEEKLY_MAX_DAYS (about two years); beyond, the finest of month,
quarter or year that keeps the chart within metrics.CHART_MAX_POINTS. Records may go back to 1900
(models.EARLIEST_DATE): 127 years still fit in yearly bars.
"""

import datetime
from dataclasses import dataclass

from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncWeek, TruncYear

from tracker import metrics

TRUNCATIONS = {
    "day": TruncDate,
    "week": TruncWeek,
    "month": TruncMonth,
    "quarter": TruncQuarter,
    "year": TruncYear,
}


@dataclass(frozen=True)
class Period:
    """A length of time: `days` long (day, week) or `months` long (month, quarter, year)."""

    name: str  # "day", "week", "month", "quarter" or "year"
    adjective: str  # "daily", "weekly", ...
    days: int = 0
    months: int = 0

    @property
    def aggregated(self) -> bool:
        """Longer than a week: its numbers are those of an average week in it."""
        return self.months > 0

    def trunc(self, field: str):
        """The database expression giving the first day of the period a date (or moment) falls in."""
        return TRUNCATIONS[self.name](field)

    def start(self, day: datetime.date) -> datetime.date:
        """The first day of the period `day` falls in (weeks start on Monday)."""
        if self.days == 1:
            return day
        if self.days:
            return metrics.week_start(day)
        month = (day.month - 1) // self.months * self.months + 1
        return datetime.date(day.year, month, 1)

    def following(self, start: datetime.date) -> datetime.date:
        """The first day of the period after the one starting on `start`."""
        if self.days:
            return start + datetime.timedelta(days=self.days)
        month = start.month - 1 + self.months
        return datetime.date(start.year + month // 12, month % 12 + 1, 1)

    def last_day(self, start: datetime.date) -> datetime.date:
        """The last day of the period starting on `start`."""
        return self.following(start) - datetime.timedelta(days=1)

    def starts(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        """The first days of the periods from the one holding `first` to the one holding `last`."""
        starts, begin = [], self.start(first)
        while begin <= last:
            starts.append(begin)
            begin = self.following(begin)
        return starts

    def count(self, first: datetime.date, last: datetime.date) -> int:
        """How many periods from the one holding `first` to the one holding `last`."""
        if last < first:
            return 0
        if self.days:
            return (self.start(last) - self.start(first)).days // self.days + 1
        months = (last.year - first.year) * 12 + (last.month - 1) - (self.start(first).month - 1)
        return months // self.months + 1


DAY = Period("day", "daily", days=1)
WEEK = Period("week", "weekly", days=metrics.DAYS_PER_WEEK)
MONTH = Period("month", "monthly", months=1)
QUARTER = Period("quarter", "quarterly", months=3)
YEAR = Period("year", "yearly", months=12)


def period_for(first: datetime.date, last: datetime.date, *, finest: Period = WEEK) -> Period:
    """The period a chart from `first` to `last` groups by: `finest` (day or week) while short enough
    (days: up to CHART_DAILY_MAX_DAYS), week up to CHART_WEEKLY_MAX_DAYS, then the finest of month,
    quarter and year that keeps it within CHART_MAX_POINTS."""
    span = (last - first).days
    if finest is DAY and span <= metrics.CHART_DAILY_MAX_DAYS:
        return DAY
    if span <= metrics.CHART_WEEKLY_MAX_DAYS:
        return WEEK
    for period in (MONTH, QUARTER):
        if period.count(first, last) <= metrics.CHART_MAX_POINTS:
            return period
    return YEAR


def within_cap(points: list) -> list:
    """The latest CHART_MAX_POINTS points: the last guard (period_for keeps charts within it already)."""
    return points[-metrics.CHART_MAX_POINTS:]


def overlap_days(
    begin: datetime.date, end: datetime.date, first: datetime.date, last: datetime.date | None
) -> int:
    """Days of begin..end (end excluded) within first..last (last included; None: still open)."""
    stop = end if last is None else min(end, last + datetime.timedelta(days=1))
    return max(0, (stop - max(begin, first)).days)
