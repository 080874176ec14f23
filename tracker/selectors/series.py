"""The series each progress chart draws, as small dataclasses: what `tracker.charts` takes in.

Aggregation happens in the database: each series is a few queries whatever the amount of data
(grouped by day, ISO week, month, quarter or year), never a query per row.

Whatever the data, a chart has at most metrics.CHART_MAX_POINTS points or bars: week by week up to
about two years, then by month, quarter or year (tracker.selectors.periods). Each series function
returns the Period its points stand for with the points.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum

from tracker import metrics
from tracker.models import (
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors import programme
from tracker.selectors.common import as_date, since, since_moment
from tracker.selectors.periods import DAY, WEEK, Period, overlap_days, period_for, within_cap

RANGES = {
    "4w": ("4 weeks", 28),
    "12w": ("12 weeks", 84),
    "6m": ("6 months", 182),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "12w"


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
    """Single-leg heel-rise test: reps per side on one date, and the incline used (degrees)."""

    date: datetime.date
    left: int
    right: int
    incline: int | None = None


@dataclass(frozen=True)
class VolumeWeek:
    """Training volume per leg in the week starting ``week_start`` (an exercise on both legs counts
    for each): sets x reps, the load lifted (sets x reps x kg, where a load was logged) and the time
    under stretch (sets x seconds held, stretches only), counted separately.

    ``prescribed_<leg>`` is the sets x reps a week the active prescriptions ask of that leg; None
    when nothing was prescribed for it. ``so_far``: this week, not finished yet. On long charts
    ``week_start`` starts a month, quarter or year and the numbers are those of its average week.
    """

    week_start: datetime.date
    left: int
    right: int
    prescribed_left: float | None = None
    prescribed_right: float | None = None
    load_left: float = 0.0
    load_right: float = 0.0
    stretch_left: float = 0.0  # minutes
    stretch_right: float = 0.0
    so_far: bool = False


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
    """Adherence (0-100 %) in the week starting ``week_start``; None when no programme was active.

    ``done`` of ``expected`` whole sessions (selectors.programme.Adherence); ``so_far``: this week,
    not finished yet (drawn as an outlined bar, never as a low percentage). On long charts
    ``week_start`` starts a month, quarter or year, and done and expected are its totals.
    """

    week_start: datetime.date
    percent: float | None
    done: int = 0
    expected: int = 0
    so_far: bool = False


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


def _period_of_records(rows) -> Period:
    """DAY (one point per record) up to CHART_MAX_POINTS records; else the period of their span."""
    extent = rows.aggregate(count=Count("id"), first=Min("date"), last=Max("date"))
    if extent["count"] <= metrics.CHART_MAX_POINTS:
        return DAY
    return period_for(extent["first"], extent["last"])


def girth_series(
    user: User, *, site: str, start: datetime.date | None
) -> tuple[Period, list[GirthPoint]]:
    """One point per measurement (DAY); beyond CHART_MAX_POINTS of them, the mean of each period."""
    rows = since(GirthMeasurement.objects.for_patient(user).filter(site=site), "date", start)
    period = _period_of_records(rows)
    if period is DAY:
        return period, [
            GirthPoint(date=d, left_cm=float(left), right_cm=float(right))
            for d, left, right in rows.order_by("date").values_list("date", "left_cm", "right_cm")
        ]
    means = (
        rows.annotate(bucket=period.trunc("date"))
        .values("bucket")
        .annotate(left=Avg("left_cm"), right=Avg("right_cm"))
        .order_by("bucket")
    )
    return period, within_cap([
        GirthPoint(date=as_date(row["bucket"]), left_cm=round(float(row["left"]), 1),
                   right_cm=round(float(row["right"]), 1))
        for row in means
    ])


def first_girth(user: User, *, site: str) -> GirthPoint | None:
    """Her first measurement at `site`, whatever period a chart shows (its error band's centre)."""
    row = (
        GirthMeasurement.objects.for_patient(user)
        .filter(site=site)
        .order_by("date")
        .values_list("date", "left_cm", "right_cm")
        .first()
    )
    return None if row is None else GirthPoint(date=row[0], left_cm=float(row[1]), right_cm=float(row[2]))


def heel_rise_series(user: User, *, start: datetime.date | None) -> tuple[Period, list[HeelRisePoint]]:
    """One point per test (DAY); beyond CHART_MAX_POINTS tests, the mean of each period (no surface:
    a mean may mix several)."""
    rows = since(HeelRiseTest.objects.for_patient(user), "date", start)
    period = _period_of_records(rows)
    if period is DAY:
        return period, [
            HeelRisePoint(date=d, left=left, right=right, incline=incline)
            for d, left, right, incline in rows.order_by("date", "id").values_list(
                "date", "reps_left", "reps_right", "incline"
            )
        ]
    means = (
        rows.annotate(bucket=period.trunc("date"))
        .values("bucket")
        .annotate(left=Avg("reps_left"), right=Avg("reps_right"))
        .order_by("bucket")
    )
    return period, within_cap([
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


def weekly_volume(
    user: User, *, start: datetime.date | None, today: datetime.date
) -> tuple[Period, list[VolumeWeek]]:
    """Per leg and ISO week: sets x reps, sets x reps x kg and stretch time (one grouped query).

    Over all her data beyond about two years, each bar is a month, quarter or year whose numbers
    (done and prescribed) are those of an average week in it, and the periods with nothing logged
    and nothing prescribed are left out.
    """
    entries = since_moment(
        ExerciseEntry.objects.filter(session__patient=user), "session__performed_at", start
    )
    period = WEEK
    if start is None:
        first = entries.aggregate(first=Min("session__performed_at"))["first"]
        if first is None:
            return period, []
        period = period_for(min(as_date(first), today), today)
    rows = (
        entries.annotate(bucket=period.trunc("session__performed_at"))
        .values("bucket", "side")
        .annotate(
            volume=Sum(F("sets") * F("reps"), output_field=IntegerField()),
            load=Sum(F("sets") * F("reps") * F("load_kg"), output_field=FloatField()),
            stretch=Sum(
                F("sets") * F("hold_seconds"),
                filter=Q(exercise__kind=Exercise.Kind.STRETCH),
                output_field=IntegerField(),
            ),
        )
        .order_by("bucket")
    )
    zero = {"volume": 0, "load": 0.0, "stretch": 0.0}
    by_period: dict[datetime.date, dict[str, dict]] = {}
    for row in rows:
        totals = by_period.setdefault(as_date(row["bucket"]), {"left": dict(zero), "right": dict(zero)})
        for leg in metrics.side_shares(row["side"]):
            totals[leg]["volume"] += row["volume"] or 0
            totals[leg]["load"] += float(row["load"] or 0)
            totals[leg]["stretch"] += (row["stretch"] or 0) / 60
    if not by_period:
        return period, []
    prescriptions = list(
        Prescription.objects.for_patient(user)
        .filter(active=True, reps__isnull=False)
        .values_list("side", "sets", "reps", "times_per_week", "start_date", "end_date")
    )
    bars = []
    for begin in within_cap(period.starts(min(by_period), today)):
        totals = by_period.get(begin, {"left": zero, "right": zero})
        if period is WEEK:
            # Each prescription active on any day of the week counts in full.
            week_end = begin + datetime.timedelta(days=6)
            prescribed = {
                leg: sum(
                    sets * reps * per_week
                    for side, sets, reps, per_week, p_begin, p_end in prescriptions
                    if leg in metrics.side_shares(side)
                    and p_begin <= week_end
                    and (p_end is None or p_end >= begin)
                )
                for leg in metrics.SIDES
            }
            weeks_in_period = 1.0
        else:
            # An average week: the totals over the days of the period so far, times 7 days.
            end = min(period.following(begin), today + datetime.timedelta(days=1))
            weeks_in_period = (end - begin).days / metrics.DAYS_PER_WEEK
            prescribed = {
                leg: round(
                    sum(
                        sets * reps * per_week * overlap_days(begin, end, p_begin, p_end)
                        for side, sets, reps, per_week, p_begin, p_end in prescriptions
                        if leg in metrics.side_shares(side)
                    )
                    / metrics.DAYS_PER_WEEK / weeks_in_period,
                    1,
                )
                for leg in metrics.SIDES
            }
            if begin not in by_period and not any(prescribed.values()):
                continue  # a long chart leaves out the periods with nothing logged or prescribed
        bars.append(
            VolumeWeek(
                week_start=begin,
                left=round(totals["left"]["volume"] / weeks_in_period),
                right=round(totals["right"]["volume"] / weeks_in_period),
                prescribed_left=prescribed["left"] or None,
                prescribed_right=prescribed["right"] or None,
                load_left=round(totals["left"]["load"] / weeks_in_period, 1),
                load_right=round(totals["right"]["load"] / weeks_in_period, 1),
                stretch_left=round(totals["left"]["stretch"] / weeks_in_period, 1),
                stretch_right=round(totals["right"]["stretch"] / weeks_in_period, 1),
                so_far=metrics.unfinished(end=period.last_day(begin), today=today),
            )
        )
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
        period = period_for(min(first, today), today)
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

    return period, within_cap([
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
    """Adherence in each week from the programme's start (or `start`) up to this week (so far); over
    all her data beyond about two years, in each month, quarter or year (sessions: its totals)."""
    windows = programme.prescription_windows(user)
    if not windows:
        return WEEK, []
    first = min(begin for _, begin, _ in windows)
    if start is not None:
        first = max(first, start)
    period = WEEK if start is not None else period_for(min(first, today), today)
    return period, [
        AdherenceWeek(
            week_start=window.start, percent=window.percent, done=window.done, expected=window.expected,
            so_far=window.so_far,
        )
        for window in within_cap(
            programme.adherence_by_period(user, first=first, today=today, period=period)
        )
    ]
