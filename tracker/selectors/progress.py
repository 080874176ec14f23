"""Progress data for the dashboard, the charts and the report.

Aggregation happens in the database: each series is one or two queries whatever the
amount of data (grouped by day or ISO week), never a query per row.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate, TruncWeek
from django.utils import timezone

from tracker import metrics
from tracker.charts import (
    AdherenceWeek,
    GirthPoint,
    HeelRisePoint,
    LsiPoint,
    PainPoint,
    VolumeWeek,
)
from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)

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


def range_start(range_key: str, today: datetime.date) -> datetime.date | None:
    days = RANGES[range_key][1]
    return None if days is None else today - datetime.timedelta(days=days)


def _since(queryset, field: str, start: datetime.date | None):
    return queryset if start is None else queryset.filter(**{f"{field}__gte": start})


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight. Filtering a datetime column by it uses the index, unlike `__date` lookups."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _since_moment(queryset, field: str, start: datetime.date | None):
    return queryset if start is None else queryset.filter(**{f"{field}__gte": day_start(start)})


def _as_date(value) -> datetime.date:
    """TruncWeek/TruncDate give dates or (aware) datetimes depending on the field and backend."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- series -----------------------------------------------------------------------------------


def measured_sites(user: User) -> list[str]:
    """Sites this patient has measured, the most used first (tt10 wins ties)."""
    rows = (
        GirthMeasurement.objects.for_patient(user)
        .values("site")
        .annotate(n=Count("id"))
        .order_by("-n", "site")
    )
    sites = [row["site"] for row in rows]
    if "tt10" in sites and rows and rows[0]["n"] == next(r["n"] for r in rows if r["site"] == "tt10"):
        sites.remove("tt10")
        sites.insert(0, "tt10")
    return sites


def girth_series(user: User, *, site: str, start: datetime.date | None) -> list[GirthPoint]:
    rows = _since(GirthMeasurement.objects.for_patient(user).filter(site=site), "date", start)
    return [
        GirthPoint(date=d, left_cm=float(left), right_cm=float(right))
        for d, left, right in rows.order_by("date").values_list("date", "left_cm", "right_cm")
    ]


def heel_rise_series(user: User, *, start: datetime.date | None) -> list[HeelRisePoint]:
    rows = _since(HeelRiseTest.objects.for_patient(user), "date", start)
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
    entries = _since_moment(
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
        week = _as_date(row["week"])
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
    leg = involved_side if involved_side in ("left", "right") else "left"
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
        _since_moment(ExerciseSession.objects.for_patient(user), "performed_at", start)
        .annotate(worst_during=Subquery(worst_during), bucket=bucket("performed_at"))
        .values("bucket")
        .annotate(during=Max("worst_during"), after=Max("pain_after"))
    )
    symptoms = _since(SymptomLog.objects.for_patient(user), "date", start)
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
        by_day.setdefault(_as_date(row["bucket"]), {}).update(during=row["during"], after=row["after"])
    for row in symptoms:
        by_day.setdefault(_as_date(row["bucket"]), {}).update(morning=row["morning"], cramps=row["cramps"])

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


def _prescription_windows(user: User) -> list[tuple[int, datetime.date, datetime.date | None]]:
    return list(
        Prescription.objects.for_patient(user)
        .filter(active=True)
        .values_list("times_per_week", "start_date", "end_date")
    )


def _sessions_with_prescribed_exercise(user: User):
    prescribed = Prescription.objects.for_patient(user).filter(active=True).values("exercise_id")
    has_prescribed = ExerciseEntry.objects.filter(session=OuterRef("pk"), exercise_id__in=prescribed)
    return ExerciseSession.objects.for_patient(user).filter(Exists(has_prescribed))


def adherence(user: User, *, start: datetime.date, end: datetime.date) -> dict:
    """Sessions containing a prescribed exercise vs sessions the programme expects (domain.md)."""
    done = (
        _sessions_with_prescribed_exercise(user)
        .filter(
            performed_at__gte=day_start(start),
            performed_at__lt=day_start(end + datetime.timedelta(days=1)),
        )
        .count()
    )
    expected = metrics.expected_sessions(prescriptions=_prescription_windows(user), start=start, end=end)
    return {
        "done": done,
        "expected": round(expected, 1),
        "percent": metrics.adherence_percent(sessions_done=done, sessions_expected=expected),
    }


def weekly_adherence(user: User, *, start: datetime.date | None, today: datetime.date) -> list[AdherenceWeek]:
    windows = _prescription_windows(user)
    if not windows:
        return []
    first = min(begin for _, begin, _ in windows)
    if start is not None:
        first = max(first, start)
    first_week = metrics.week_start(first)
    rows = (
        _sessions_with_prescribed_exercise(user)
        .filter(performed_at__gte=day_start(first_week))
        .annotate(week=TruncWeek("performed_at"))
        .values("week")
        .annotate(n=Count("id"))
    )
    done = {_as_date(row["week"]): row["n"] for row in rows}
    weeks = []
    week = first_week
    while week <= today:
        week_end = min(week + datetime.timedelta(days=6), today)
        expected = metrics.expected_sessions(prescriptions=windows, start=week, end=week_end)
        weeks.append(
            AdherenceWeek(
                week_start=week,
                percent=metrics.adherence_percent(
                    sessions_done=done.get(week, 0), sessions_expected=expected
                ),
            )
        )
        week += datetime.timedelta(weeks=1)
    return weeks


# --- cache validation ---------------------------------------------------------------------------


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


# --- headline numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GirthHeadline:
    site: str
    site_label: str
    date: datetime.date
    left_cm: float
    right_cm: float
    symmetry: metrics.Symmetry
    asymmetry: str
    asymmetry_label: str
    gap_cm: float  # how much smaller the smaller calf is
    zone: str
    first_date: datetime.date
    first_lsi: float | None
    involved_change_cm: float | None  # involved leg since the first measurement
    involved_change_real: bool | None
    recent_date: datetime.date | None  # the measurement about 4 weeks ago
    recent_change_cm: float | None
    recent_change_real: bool | None
    target_lsi: float
    to_target: float | None


def girth_headline(
    user: User, *, site: str, affected_side: str, target_lsi: float, today: datetime.date
) -> GirthHeadline | None:
    rows = list(
        GirthMeasurement.objects.for_patient(user)
        .filter(site=site)
        .order_by("date")
        .values_list("date", "left_cm", "right_cm")
    )
    if not rows:
        return None
    first_date, first_left, first_right = rows[0]
    last_date, last_left, last_right = rows[-1]
    current = metrics.symmetry(left=last_left, right=last_right, affected_side=affected_side)
    first = metrics.symmetry(left=first_left, right=first_right, affected_side=affected_side)
    leg = current.involved_side

    def involved(left, right) -> float:
        return float(left if leg == "left" else right)

    change = None
    if len(rows) > 1:
        change = round(involved(last_left, last_right) - involved(first_left, first_right), 2)
    four_weeks_ago = today - datetime.timedelta(weeks=4)
    recent = next((r for r in reversed(rows[:-1]) if r[0] <= four_weeks_ago), None)
    recent_change = None
    if recent is not None:
        recent_change = round(involved(last_left, last_right) - involved(recent[1], recent[2]), 2)
    return GirthHeadline(
        site=site,
        site_label=GirthMeasurement.Site(site).label,
        date=last_date,
        left_cm=float(last_left),
        right_cm=float(last_right),
        symmetry=current,
        asymmetry=metrics.classify_girth_difference(current.difference),
        asymmetry_label=metrics.ASYMMETRY_LABELS[metrics.classify_girth_difference(current.difference)],
        gap_cm=abs(current.difference),
        zone=metrics.lsi_zone(current.lsi) if current.lsi is not None else "red",
        first_date=first_date,
        first_lsi=first.lsi,
        involved_change_cm=change,
        involved_change_real=None if change is None else metrics.is_real_change(change, measure="girth"),
        recent_date=recent[0] if recent else None,
        recent_change_cm=recent_change,
        recent_change_real=None
        if recent_change is None
        else metrics.is_real_change(recent_change, measure="girth"),
        target_lsi=target_lsi,
        to_target=None if current.lsi is None else round(max(0.0, target_lsi - current.lsi), 1),
    )


@dataclass(frozen=True)
class HeelRiseHeadline:
    date: datetime.date
    left: int
    right: int
    symmetry: metrics.Symmetry
    first_lsi: float | None
    involved_change: int | None
    involved_change_real: bool | None
    norm: int


def heel_rise_headline(user: User, *, affected_side: str, sex: str) -> HeelRiseHeadline | None:
    tests = HeelRiseTest.objects.for_patient(user).order_by("date", "id")
    first = tests.values_list("date", "reps_left", "reps_right").first()
    last = tests.values_list("date", "reps_left", "reps_right").last()
    if last is None:
        return None
    current = metrics.symmetry(left=last[1], right=last[2], affected_side=affected_side)
    start = metrics.symmetry(left=first[1], right=first[2], affected_side=affected_side)
    index = 1 if current.involved_side == "left" else 2
    change = last[index] - first[index] if first != last else None
    return HeelRiseHeadline(
        date=last[0],
        left=last[1],
        right=last[2],
        symmetry=current,
        first_lsi=start.lsi,
        involved_change=change,
        involved_change_real=None if change is None else metrics.is_real_change(change, measure="heel_rise"),
        norm=metrics.heel_rise_norm(sex),
    )


@dataclass(frozen=True)
class PainHeadline:
    date: datetime.date | None
    latest_after: int | None
    latest_morning: int | None
    breaches: list[metrics.RedFlag]


def pain_headline(user: User, *, today: datetime.date) -> PainHeadline:
    """The latest pain and whether last week's sessions kept the pain-monitoring rules."""
    week_ago = today - datetime.timedelta(days=7)
    last_week = ExerciseSession.objects.for_patient(user).filter(
        performed_at__gte=day_start(week_ago + datetime.timedelta(days=1))
    )
    worst = last_week.aggregate(during=Max("entries__pain_during"), after=Max("pain_after"))
    latest_session = (
        ExerciseSession.objects.for_patient(user).values("performed_at", "pain_before", "pain_after").first()
    )
    morning = None
    if latest_session is not None:
        session_day = timezone.localtime(latest_session["performed_at"]).date()
        morning = (
            SymptomLog.objects.for_patient(user)
            .filter(date=session_day + datetime.timedelta(days=1))
            .values_list("pain_next_morning", flat=True)
            .first()
        )
    weekly = (
        SymptomLog.objects.for_patient(user)
        .filter(date__gt=today - datetime.timedelta(days=14))
        .aggregate(
            previous=Avg("pain_at_rest", filter=Q(date__lte=week_ago)),
            current=Avg("pain_at_rest", filter=Q(date__gt=week_ago)),
        )
    )
    weekly_means = None
    if weekly["previous"] is not None and weekly["current"] is not None:
        weekly_means = (float(weekly["previous"]), float(weekly["current"]))
    breaches = metrics.pain_monitoring_breaches(
        pain_during_max=worst["during"],
        pain_after=worst["after"],
        pain_before=latest_session["pain_before"] if latest_session else None,
        next_morning_pain=morning,
        weekly_mean_pain=weekly_means,
    )
    return PainHeadline(
        date=timezone.localtime(latest_session["performed_at"]).date() if latest_session else None,
        latest_after=latest_session["pain_after"] if latest_session else None,
        latest_morning=morning,
        breaches=breaches,
    )


def active_red_flags(user: User, *, affected_side: str, today: datetime.date) -> list[metrics.RedFlag]:
    """Urgent flags from the latest measurement and recent check-ins (domain.md red flags)."""
    flags: list[metrics.RedFlag] = []
    recent = list(
        GirthMeasurement.objects.for_patient(user)
        .filter(date__gte=today - datetime.timedelta(days=14))
        .order_by("site", "-date")
        .values_list("site", "date", "left_cm", "right_cm")
    )
    seen_sites = set()
    for index, (site, day, left, right) in enumerate(recent):
        if site in seen_sites:
            continue
        seen_sites.add(site)
        previous = next(
            ((d, left_cm, right_cm) for s, d, left_cm, right_cm in recent[index + 1 :] if s == site), None
        )
        flags += metrics.swelling_flags(
            left_cm=left,
            right_cm=right,
            affected_side=affected_side,
            previous=(previous[1], previous[2]) if previous else None,
            days_since_previous=(day - previous[0]).days if previous else None,
        )
    ticked = SymptomLog.objects.for_patient(user).filter(date__gte=today - datetime.timedelta(days=2)).first()
    if ticked is not None:
        flags += metrics.symptom_flags(ticked.red_flag_codes())
    unique = {}
    for flag in flags:
        unique.setdefault(flag.code, flag)
    return list(unique.values())


def unread_notes(user: User):
    return PhysioNote.objects.filter(
        patient=user, visible_to_patient=True, read_at__isnull=True
    ).select_related("author")
