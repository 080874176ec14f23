"""The series each progress chart draws, as small dataclasses: what `tracker.charts` takes in.

Aggregation happens in the database: each series is one or two queries whatever the amount of
data (grouped by day or ISO week), never a query per row.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDate, TruncWeek

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
    quantity each bar is compared with); None when nothing was prescribed.
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
    """Adherence (0-100 %) in the week starting ``week_start``; None when no programme was active."""

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


def girth_series(user: User, *, site: str, start: datetime.date | None) -> list[GirthPoint]:
    rows = since(GirthMeasurement.objects.for_patient(user).filter(site=site), "date", start)
    return [
        GirthPoint(date=d, left_cm=float(left), right_cm=float(right))
        for d, left, right in rows.order_by("date").values_list("date", "left_cm", "right_cm")
    ]


def heel_rise_series(user: User, *, start: datetime.date | None) -> list[HeelRisePoint]:
    rows = since(HeelRiseTest.objects.for_patient(user), "date", start)
    return [
        HeelRisePoint(date=d, left=left, right=right)
        for d, left, right in rows.order_by("date", "id").values_list("date", "reps_left", "reps_right")
    ]


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
    user: User, *, start: datetime.date | None, today: datetime.date, involved_side: str
) -> list[VolumeWeek]:
    """Sets x reps per leg per ISO week; an exercise done on both legs counts for each."""
    entries = since_moment(
        ExerciseEntry.objects.filter(session__patient=user, reps__isnull=False),
        "session__performed_at",
        start,
    )
    rows = (
        entries.annotate(week=TruncWeek("session__performed_at"))
        .values("week", "side")
        .annotate(volume=Sum(F("sets") * F("reps"), output_field=IntegerField()))
        .order_by("week")
    )
    by_week: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        week = as_date(row["week"])
        totals = by_week.setdefault(week, {"left": 0, "right": 0})
        for leg in metrics.side_shares(row["side"]):
            totals[leg] += row["volume"] or 0
    if not by_week:
        return []
    first_week = min(by_week)
    prescriptions = list(
        Prescription.objects.for_patient(user)
        .filter(active=True, reps__isnull=False)
        .values_list("side", "sets", "reps", "times_per_week", "start_date", "end_date")
    )
    leg = involved_side if involved_side in metrics.SIDES else "left"
    weeks = []
    week = first_week
    while week <= today:
        totals = by_week.get(week, {"left": 0, "right": 0})
        prescribed = sum(
            sets * reps * per_week
            for side, sets, reps, per_week, begin, end in prescriptions
            if leg in metrics.side_shares(side)
            and begin <= week + datetime.timedelta(days=6)
            and (end is None or end >= week)
        )
        weeks.append(
            VolumeWeek(
                week_start=week, left=totals["left"], right=totals["right"], prescribed=prescribed or None
            )
        )
        week += datetime.timedelta(weeks=1)
    return weeks


def pain_series(user: User, *, start: datetime.date | None, today: datetime.date) -> list[PainPoint]:
    """Pain during (worst exercise) and after sessions, pain on waking and night cramps.

    Daily for short ranges; weekly means for long ones.
    """
    weekly = start is None or (today - start).days > DAILY_PAIN_MAX_DAYS
    bucket = TruncWeek if weekly else TruncDate
    worst_during = (
        ExerciseEntry.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(worst=Max("pain_during"))
        .values("worst")
    )
    sessions = (
        since_moment(ExerciseSession.objects.for_patient(user), "performed_at", start)
        .annotate(worst_during=Subquery(worst_during), bucket=bucket("performed_at"))
        .values("bucket")
        .annotate(during=Max("worst_during"), after=Max("pain_after"))
    )
    symptoms = since(SymptomLog.objects.for_patient(user), "date", start)
    if weekly:
        symptoms = (
            symptoms.annotate(bucket=TruncWeek("date"))
            .values("bucket")
            .annotate(morning=Avg("pain_next_morning"), cramps=Avg("night_cramps"))
        )
    else:
        symptoms = symptoms.annotate(
            bucket=F("date"), morning=F("pain_next_morning"), cramps=F("night_cramps")
        ).values("bucket", "morning", "cramps")
    by_day: dict[datetime.date, dict] = {}
    for row in sessions:
        by_day.setdefault(as_date(row["bucket"]), {}).update(during=row["during"], after=row["after"])
    for row in symptoms:
        by_day.setdefault(as_date(row["bucket"]), {}).update(morning=row["morning"], cramps=row["cramps"])

    def rounded(value):
        return None if value is None else round(float(value), 1)

    return [
        PainPoint(
            date=day,
            during=rounded(values.get("during")),
            after=rounded(values.get("after")),
            next_morning=rounded(values.get("morning")),
            night_cramps=rounded(values.get("cramps")),
        )
        for day, values in sorted(by_day.items())
    ]


def weekly_adherence(user: User, *, start: datetime.date | None, today: datetime.date) -> list[AdherenceWeek]:
    """Adherence in each week from the programme's start (or `start`) up to this week."""
    windows = programme.prescription_windows(user)
    if not windows:
        return []
    first = min(begin for _, begin, _ in windows)
    if start is not None:
        first = max(first, start)
    first_week = metrics.week_start(first)
    rows = (
        programme.sessions_with_prescribed_exercise(user)
        .filter(performed_at__gte=day_start(first_week))
        .annotate(week=TruncWeek("performed_at"))
        .values("week")
        .annotate(n=Count("id"))
    )
    done = {as_date(row["week"]): row["n"] for row in rows}
    weeks = []
    week = first_week
    while week <= today:
        week_end = min(week + datetime.timedelta(days=6), today)
        expected = metrics.expected_sessions(prescriptions=windows, start=week, end=week_end)
        percent = metrics.adherence_percent(sessions_done=done.get(week, 0), sessions_expected=expected)
        weeks.append(AdherenceWeek(week_start=week, percent=percent))
        week += datetime.timedelta(weeks=1)
    return weeks
