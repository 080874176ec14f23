"""The series each progress chart draws, as small dataclasses: what `tracker.charts` takes in.

Aggregation happens in the database: each series is a few queries whatever the amount of data
(grouped by day, week, month, quarter or year), never a query per row.

Whatever the data, a chart has at most MAX_CHART_POINTS points or bars: week by week up to about
two years, then by month, quarter or year (one session dated 1900 once made 6,623 weekly bars and
30 s of CPU). Each series function returns the Period its points stand for with the points.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncWeek, TruncYear

from tracker import metrics
from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors import programme
from tracker.selectors.common import as_date, day_start, since, since_moment

RANGES = {
    "4w": ("4 weeks", 28),
    "12w": ("12 weeks", 84),
    "6m": ("6 months", 182),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "12w"
# Beyond this many days, daily pain readings are averaged per week (readable charts, short tables).
DAILY_PAIN_MAX_DAYS = 84
# Week by week up to about two years; beyond, the finest of month, quarter or year that fits.
WEEKLY_MAX_DAYS = 2 * 365
# The most points (or bars per leg) a chart and its table ever have: the cost of a chart is bounded.
MAX_CHART_POINTS = 130


@dataclass(frozen=True)
class Period:
    """What one point or bar of a chart stands for: a day (or one record), week, month, quarter or year."""

    name: str
    label: str  # the first column of the chart's table
    adjective: str  # "weekly", "monthly", ...
    months: int  # length in months (0: a day or a week)
    days: int  # length in days (day and week)

    def trunc(self, field: str):
        """The database expression giving the first day of the period a date falls in."""
        return {"day": TruncDate, "week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter,
                "year": TruncYear}[self.name](field)

    def start(self, day: datetime.date) -> datetime.date:
        if self.name == "day":
            return day
        if self.name == "week":
            return day - datetime.timedelta(days=day.weekday())
        month = (day.month - 1) // self.months * self.months + 1
        return datetime.date(day.year, month, 1)

    def following(self, start: datetime.date) -> datetime.date:
        """The first day of the next period."""
        if self.days:
            return start + datetime.timedelta(days=self.days)
        month = start.month - 1 + self.months
        return datetime.date(start.year + month // 12, month % 12 + 1, 1)

    def starts(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        """The first days of the periods from the one holding `first` to the one holding `last`."""
        starts, begin = [], self.start(first)
        while begin <= last:
            starts.append(begin)
            begin = self.following(begin)
        return starts

    def count(self, first: datetime.date, last: datetime.date) -> int:
        if self.days:
            return (self.start(last) - self.start(first)).days // self.days + 1
        return ((last.year - first.year) * 12 + last.month - first.month) // self.months + 1


DAY = Period("day", "Date", "daily", months=0, days=1)
WEEK = Period("week", "Week of", "weekly", months=0, days=7)
MONTH = Period("month", "Month of", "monthly", months=1, days=0)
QUARTER = Period("quarter", "Quarter from", "quarterly", months=3, days=0)
YEAR = Period("year", "Year from", "yearly", months=12, days=0)


def period_for(first: datetime.date, last: datetime.date, *, finest: Period = WEEK) -> Period:
    """The period a chart from `first` to `last` groups by: `finest` (day or week) up to about two
    years (days: up to DAILY_PAIN_MAX_DAYS), then month, quarter or year, whichever keeps it within
    MAX_CHART_POINTS (a year from 1900, the earliest date a record may have, still fits)."""
    span = (last - first).days
    if finest is DAY and span <= DAILY_PAIN_MAX_DAYS:
        return DAY
    if span <= WEEKLY_MAX_DAYS:
        return WEEK
    for period in (MONTH, QUARTER):
        if period.count(first, last) <= MAX_CHART_POINTS:
            return period
    return YEAR


@dataclass(frozen=True)
class GirthPoint:
    """Mean calf girth of both legs on one date, in cm (one measurement site per chart)."""

    date: datetime.date
    left_cm: float
    right_cm: float


@dataclass(frozen=True)
class LsiPoint:
    """A limb symmetry index (involved / uninvolved x 100) on one date."""

    date: datetime.date
    lsi: float


@dataclass(frozen=True)
class HeelRisePoint:
    """Single-leg heel-rise test: reps per side on one date."""

    date: datetime.date
    left: int
    right: int


@dataclass(frozen=True)
class VolumeWeek:
    """Training volume (sets x reps) per side in the week starting ``week_start``.

    ``prescribed`` is the volume the active prescriptions ask for in that week, per side (the
    quantity each bar is compared with); None when nothing was prescribed. On long charts
    ``week_start`` starts a month, quarter or year, and the numbers are those of its average week.
    """

    week_start: datetime.date
    left: int
    right: int
    prescribed: float | None = None


@dataclass(frozen=True)
class PainPoint:
    """Pain (0-10) during and after exercise and the next morning, and night cramps, on one date."""

    date: datetime.date
    during: float | None = None
    after: float | None = None
    next_morning: float | None = None
    night_cramps: float | None = None


@dataclass(frozen=True)
class AdherenceWeek:
    """Adherence (0-100 %) in the week (on long charts: month, quarter or year) starting ``week_start``;
    None when no programme was active."""

    week_start: datetime.date
    percent: float | None


def range_start(range_key: str, today: datetime.date) -> datetime.date | None:
    days = RANGES[range_key][1]
    return None if days is None else today - datetime.timedelta(days=days)


def site_counts(user: User) -> dict[str, int]:
    """How many measurements she has at each site."""
    rows = GirthMeasurement.objects.for_patient(user).values("site").annotate(n=Count("id")).order_by()
    return {row["site"]: row["n"] for row in rows}


def measured_sites(user: User) -> list[str]:
    """Sites this patient has measured: the default site (metrics.default_site) first, then by use."""
    counts = site_counts(user)
    first = metrics.default_site(counts)
    return sorted(counts, key=lambda site: (site != first, -counts[site], site))


def _within_cap(points: list) -> list:
    """The latest MAX_CHART_POINTS points (the periods above keep every chart within it already)."""
    return points[-MAX_CHART_POINTS:]


def girth_series(user: User, *, site: str, start: datetime.date | None) -> tuple[Period, list[GirthPoint]]:
    """One point per measurement (period DAY); the mean of each period beyond MAX_CHART_POINTS of them."""
    rows = since(GirthMeasurement.objects.for_patient(user).filter(site=site), "date", start)
    extent = rows.aggregate(count=Count("id"), first=Min("date"), last=Max("date"))
    if extent["count"] <= MAX_CHART_POINTS:
        return DAY, [
            GirthPoint(date=d, left_cm=float(left), right_cm=float(right))
            for d, left, right in rows.order_by("date").values_list("date", "left_cm", "right_cm")
        ]
    period = period_for(extent["first"], extent["last"])
    means = (
        rows.annotate(bucket=period.trunc("date")).values("bucket")
        .annotate(left=Avg("left_cm"), right=Avg("right_cm")).order_by("bucket")
    )
    return period, _within_cap([
        GirthPoint(date=as_date(row["bucket"]), left_cm=round(float(row["left"]), 1),
                   right_cm=round(float(row["right"]), 1))
        for row in means
    ])


def heel_rise_series(user: User, *, start: datetime.date | None) -> tuple[Period, list[HeelRisePoint]]:
    """One point per test (period DAY); the mean of each period beyond MAX_CHART_POINTS tests."""
    rows = since(HeelRiseTest.objects.for_patient(user), "date", start)
    extent = rows.aggregate(count=Count("id"), first=Min("date"), last=Max("date"))
    if extent["count"] <= MAX_CHART_POINTS:
        return DAY, [
            HeelRisePoint(date=d, left=left, right=right)
            for d, left, right in rows.order_by("date", "id").values_list("date", "reps_left", "reps_right")
        ]
    period = period_for(extent["first"], extent["last"])
    means = (
        rows.annotate(bucket=period.trunc("date")).values("bucket")
        .annotate(left=Avg("reps_left"), right=Avg("reps_right")).order_by("bucket")
    )
    return period, _within_cap([
        HeelRisePoint(date=as_date(row["bucket"]), left=round(row["left"]), right=round(row["right"]))
        for row in means
    ])


def lsi_series(points, affected_side: str, left: str, right: str) -> list[LsiPoint]:
    series = []
    for point in points:
        lsi = metrics.symmetry(
            left=getattr(point, left), right=getattr(point, right), affected_side=affected_side
        ).lsi
        if lsi is not None:
            series.append(LsiPoint(date=point.date, lsi=lsi))
    return series


def _overlap_days(begin: datetime.date, end: datetime.date, first: datetime.date,
                  last: datetime.date | None) -> int:
    """Days of begin..end (end excluded) within first..last (last included; None: open)."""
    stop = end if last is None else min(end, last + datetime.timedelta(days=1))
    return max(0, (stop - max(begin, first)).days)


def weekly_volume(
    user: User, *, start: datetime.date | None, today: datetime.date, involved_side: str
) -> tuple[Period, list[VolumeWeek]]:
    """Sets x reps per leg per ISO week; an exercise done on both legs counts for each.

    Over all her data beyond about two years, each bar is a month, quarter or year, and its numbers
    (done and prescribed) are those of an average week in it; periods with nothing logged and
    nothing prescribed are left out (a gap on the time axis).
    """
    entries = since_moment(
        ExerciseEntry.objects.filter(session__patient=user, reps__isnull=False),
        "session__performed_at",
        start,
    )
    period = WEEK
    if start is None:
        first = entries.aggregate(first=Min("session__performed_at"))["first"]
        if first is None:
            return period, []
        period = period_for(as_date(first), today)
    rows = (
        entries.annotate(bucket=period.trunc("session__performed_at"))
        .values("bucket", "side")
        .annotate(volume=Sum(F("sets") * F("reps"), output_field=IntegerField()))
        .order_by("bucket")
    )
    by_period: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        totals = by_period.setdefault(as_date(row["bucket"]), {"left": 0, "right": 0})
        for leg in metrics.side_shares(row["side"]):
            totals[leg] += row["volume"] or 0
    if not by_period:
        return period, []
    prescriptions = list(
        Prescription.objects.for_patient(user)
        .filter(active=True, reps__isnull=False)
        .values_list("side", "sets", "reps", "times_per_week", "start_date", "end_date")
    )
    leg = involved_side if involved_side in metrics.SIDES else "left"
    weekly = [
        (sets * reps * per_week, begin, end)
        for side, sets, reps, per_week, begin, end in prescriptions
        if leg in metrics.side_shares(side)
    ]
    bars = []
    for begin in _within_cap(period.starts(min(by_period), today)):
        totals = by_period.get(begin, {"left": 0, "right": 0})
        if period is WEEK:
            # Each prescription active on any day of the week counts in full.
            week_end = begin + datetime.timedelta(days=6)
            prescribed = sum(
                v for v, p_begin, p_end in weekly if p_begin <= week_end and (p_end is None or p_end >= begin)
            )
            bars.append(VolumeWeek(week_start=begin, left=totals["left"], right=totals["right"],
                                   prescribed=prescribed or None))
            continue
        end = min(period.following(begin), today + datetime.timedelta(days=1))
        days = (end - begin).days
        prescribed = sum(v * _overlap_days(begin, end, p_begin, p_end) for v, p_begin, p_end in weekly) / days
        if begin not in by_period and not prescribed:
            continue  # a long chart leaves out the months or years with nothing logged or prescribed
        bars.append(VolumeWeek(
            week_start=begin,
            left=round(totals["left"] * metrics.DAYS_PER_WEEK / days),
            right=round(totals["right"] * metrics.DAYS_PER_WEEK / days),
            prescribed=round(prescribed, 1) or None,
        ))
    return period, bars


def pain_series(
    user: User, *, start: datetime.date | None, today: datetime.date
) -> tuple[Period, list[PainPoint]]:
    """Pain during (worst exercise) and after sessions, pain on waking and night cramps.

    Daily for short ranges; weekly (worst pain, mean on waking and cramps) for long ones, and
    monthly, quarterly or yearly beyond about two years of data.
    """
    sessions = since_moment(ExerciseSession.objects.for_patient(user), "performed_at", start)
    symptoms = since(SymptomLog.objects.for_patient(user), "date", start)
    if start is None:
        firsts = [
            sessions.aggregate(first=Min("performed_at"))["first"],
            symptoms.aggregate(first=Min("date"))["first"],
        ]
        first = min((as_date(day) for day in firsts if day is not None), default=today)
        period = period_for(first, today)
    else:
        period = period_for(start, today, finest=DAY)
    worst_during = (
        ExerciseEntry.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(worst=Max("pain_during"))
        .values("worst")
    )
    sessions = (
        sessions.annotate(worst_during=Subquery(worst_during), bucket=period.trunc("performed_at"))
        .values("bucket")
        .annotate(during=Max("worst_during"), after=Max("pain_after"))
    )
    if period is DAY:
        symptoms = symptoms.annotate(
            bucket=F("date"), morning=F("pain_next_morning"), cramps=F("night_cramps")
        ).values("bucket", "morning", "cramps")
    else:
        symptoms = (
            symptoms.annotate(bucket=period.trunc("date"))
            .values("bucket")
            .annotate(morning=Avg("pain_next_morning"), cramps=Avg("night_cramps"))
        )
    by_day: dict[datetime.date, dict] = {}
    for row in sessions:
        by_day.setdefault(as_date(row["bucket"]), {}).update(during=row["during"], after=row["after"])
    for row in symptoms:
        by_day.setdefault(as_date(row["bucket"]), {}).update(morning=row["morning"], cramps=row["cramps"])

    def rounded(value):
        return None if value is None else round(float(value), 1)

    return period, _within_cap([
        PainPoint(
            date=day,
            during=rounded(values.get("during")),
            after=rounded(values.get("after")),
            next_morning=rounded(values.get("morning")),
            night_cramps=rounded(values.get("cramps")),
        )
        for day, values in sorted(by_day.items())
    ])


def weekly_adherence(
    user: User, *, start: datetime.date | None, today: datetime.date
) -> tuple[Period, list[AdherenceWeek]]:
    """Adherence in each week from the programme's start (or `start`) up to this week; over all her
    data beyond about two years, in each month, quarter or year."""
    windows = programme.prescription_windows(user)
    if not windows:
        return WEEK, []
    first = min(begin for _, begin, _ in windows)
    if start is not None:
        first = max(first, start)
    period = WEEK if start is not None else period_for(min(first, today), today)
    begins = _within_cap(period.starts(first, today))
    if not begins:
        return period, []
    rows = (
        programme.sessions_with_prescribed_exercise(user)
        .filter(performed_at__gte=day_start(begins[0]))
        .annotate(bucket=period.trunc("performed_at"))
        .values("bucket")
        .annotate(n=Count("id"))
    )
    done = {as_date(row["bucket"]): row["n"] for row in rows}
    weeks = []
    for begin in begins:
        end = min(period.following(begin) - datetime.timedelta(days=1), today)
        expected = metrics.expected_sessions(prescriptions=windows, start=begin, end=end)
        percent = metrics.adherence_percent(sessions_done=done.get(begin, 0), sessions_expected=expected)
        weeks.append(AdherenceWeek(week_start=begin, percent=percent))
    return period, weeks
