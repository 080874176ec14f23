"""The series each progress chart draws, as small dataclasses: what `tracker.charts` takes in.

Aggregation happens in the database: each series is one or two queries whatever the amount of
data (grouped by day or ISO week), never a query per row.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncWeek

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
    when nothing was prescribed for it. ``so_far``: this week, not finished yet.
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
    not finished yet (drawn as an outlined bar, never as a low percentage).
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


def girth_series(user: User, *, site: str, start: datetime.date | None) -> list[GirthPoint]:
    rows = since(GirthMeasurement.objects.for_patient(user).filter(site=site), "date", start)
    return [
        GirthPoint(date=d, left_cm=float(left), right_cm=float(right))
        for d, left, right in rows.order_by("date").values_list("date", "left_cm", "right_cm")
    ]


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


def heel_rise_series(user: User, *, start: datetime.date | None) -> list[HeelRisePoint]:
    rows = since(HeelRiseTest.objects.for_patient(user), "date", start).order_by("date", "id")
    return [
        HeelRisePoint(date=d, left=left, right=right, incline=incline)
        for d, left, right, incline in rows.values_list("date", "reps_left", "reps_right", "incline")
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


def weekly_volume(user: User, *, start: datetime.date | None, today: datetime.date) -> list[VolumeWeek]:
    """Per leg and ISO week: sets x reps, sets x reps x kg and stretch time (one grouped query)."""
    entries = since_moment(
        ExerciseEntry.objects.filter(session__patient=user), "session__performed_at", start
    )
    rows = (
        entries.annotate(week=TruncWeek("session__performed_at"))
        .values("week", "side")
        .annotate(
            volume=Sum(F("sets") * F("reps"), output_field=IntegerField()),
            load=Sum(F("sets") * F("reps") * F("load_kg"), output_field=FloatField()),
            stretch=Sum(
                F("sets") * F("hold_seconds"),
                filter=Q(exercise__kind=Exercise.Kind.STRETCH),
                output_field=IntegerField(),
            ),
        )
        .order_by("week")
    )
    zero = {"volume": 0, "load": 0.0, "stretch": 0.0}
    by_week: dict[datetime.date, dict[str, dict]] = {}
    for row in rows:
        week = by_week.setdefault(as_date(row["week"]), {"left": dict(zero), "right": dict(zero)})
        for leg in metrics.side_shares(row["side"]):
            week[leg]["volume"] += row["volume"] or 0
            week[leg]["load"] += float(row["load"] or 0)
            week[leg]["stretch"] += (row["stretch"] or 0) / 60
    if not by_week:
        return []
    prescriptions = list(
        Prescription.objects.for_patient(user)
        .filter(active=True, reps__isnull=False)
        .values_list("side", "sets", "reps", "times_per_week", "start_date", "end_date")
    )
    this_week = metrics.week_start(today)
    weeks = []
    week = min(by_week)
    while week <= today:
        totals = by_week.get(week, {"left": zero, "right": zero})
        prescribed = {
            leg: sum(
                sets * reps * per_week
                for side, sets, reps, per_week, begin, end in prescriptions
                if leg in metrics.side_shares(side)
                and begin <= week + datetime.timedelta(days=6)
                and (end is None or end >= week)
            )
            for leg in metrics.SIDES
        }
        weeks.append(
            VolumeWeek(
                week_start=week,
                left=totals["left"]["volume"],
                right=totals["right"]["volume"],
                prescribed_left=prescribed["left"] or None,
                prescribed_right=prescribed["right"] or None,
                load_left=round(totals["left"]["load"], 1),
                load_right=round(totals["right"]["load"], 1),
                stretch_left=round(totals["left"]["stretch"], 1),
                stretch_right=round(totals["right"]["stretch"], 1),
                so_far=week == this_week,
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
    """Adherence in each week from the programme's start (or `start`) up to this week (so far)."""
    windows = programme.prescription_windows(user)
    if not windows:
        return []
    first = min(begin for _, begin, _ in windows)
    if start is not None:
        first = max(first, start)
    return [
        AdherenceWeek(
            week_start=week.start, percent=week.percent, done=week.done, expected=week.expected,
            so_far=week.so_far,
        )
        for week in programme.weekly_adherence(user, first=first, today=today)
    ]
