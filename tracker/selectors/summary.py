"""The patient's progress summary: the one set of headline numbers and verdicts.

`progress_summary` is what the dashboard, the API's progress endpoint, the PDF report and the
physio's review page show, so they can never disagree. It returns data, never sentences; the
templates and the report word it. The caseload's SQL (`selectors.caseload`) is pinned to it rule
by rule by parity tests.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from tracker import metrics
from tracker.models import ExerciseSession, GirthMeasurement, HeelRiseTest, PatientProfile, SymptomLog, User
from tracker.selectors import programme, series
from tracker.selectors.common import day_start
from tracker.selectors.flags import active_red_flags


@dataclass(frozen=True)
class GirthHeadline:
    site: str
    site_label: str
    date: datetime.date
    left_cm: float
    right_cm: float
    symmetry: metrics.Symmetry
    asymmetry: str  # metrics.girth_verdict: how much smaller the involved calf is, in cm bands
    asymmetry_label: str
    goal_reached: bool  # involved calf less than 1.0 cm smaller (never judged by the girth LSI)
    deficit_cm: float  # how much smaller the involved calf is (0 when it is not smaller)
    gap_cm: float  # how much smaller the smaller calf is
    first_date: datetime.date
    first_lsi: float | None
    involved_change_cm: float | None  # involved leg since the first measurement
    involved_change_real: bool | None
    recent_date: datetime.date | None  # the measurement about 4 weeks ago
    recent_change_cm: float | None
    recent_change_real: bool | None


def girth_rows(user: User, *, site: str) -> list[tuple]:
    """(date, left_cm, right_cm) of her measurements at `site`, oldest first."""
    return list(
        GirthMeasurement.objects.for_patient(user)
        .filter(site=site)
        .order_by("date")
        .values_list("date", "left_cm", "right_cm")
    )


def girth_headline(
    user: User, *, site: str, affected_side: str, today: datetime.date, rows=None
) -> GirthHeadline | None:
    """The girth numbers at `site`; `rows` are girth_rows(), when the caller has them already."""
    rows = girth_rows(user, site=site) if rows is None else rows
    if not rows:
        return None
    first_date, first_left, first_right = rows[0]
    last_date, last_left, last_right = rows[-1]
    current = metrics.symmetry(left=last_left, right=last_right, affected_side=affected_side)
    first = metrics.symmetry(left=first_left, right=first_right, affected_side=affected_side)
    verdict = metrics.girth_verdict(current.difference)
    leg = current.involved_side

    def involved(left, right) -> float:
        return float(left if leg == "left" else right)

    change = None
    if len(rows) > 1:
        change = round(involved(last_left, last_right) - involved(first_left, first_right), 2)
    four_weeks_ago = today - datetime.timedelta(days=metrics.CHANGE_WINDOW_DAYS)
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
        asymmetry=verdict.asymmetry,
        asymmetry_label=verdict.label,
        goal_reached=verdict.goal_reached,
        deficit_cm=verdict.deficit_cm,
        gap_cm=abs(current.difference),
        first_date=first_date,
        first_lsi=first.lsi,
        involved_change_cm=change,
        involved_change_real=None if change is None else metrics.is_real_change(change, measure="girth"),
        recent_date=recent[0] if recent else None,
        recent_change_cm=recent_change,
        recent_change_real=None
        if recent_change is None
        else metrics.is_real_change(recent_change, measure="girth"),
    )


@dataclass(frozen=True)
class PreviousHeelRise:
    date: datetime.date
    lsi: float | None
    same_surface: bool
    involved_change: int  # involved leg's rises now minus then
    involved_change_real: bool


@dataclass(frozen=True)
class HeelRiseHeadline:
    date: datetime.date
    left: int
    right: int
    symmetry: metrics.Symmetry
    target_lsi: float  # her heel-rise target (the profile's target_lsi)
    target_reached: bool  # metrics.heel_rise_verdict
    zone: str | None  # red / amber / green (fixed 80/90 zones); None without an LSI
    first_lsi: float | None
    involved_change: int | None  # involved leg's rises since her first test
    involved_change_real: bool | None
    norm: int
    # The test just before the latest, when that is not her first (domain: judge a change against
    # the first test as well as the previous one). A change of surface makes it not comparable.
    previous: PreviousHeelRise | None = None


def heel_rise_headline(
    user: User, *, affected_side: str, sex: str, target_lsi: float = metrics.DEFAULT_TARGET_LSI
) -> HeelRiseHeadline | None:
    tests = HeelRiseTest.objects.for_patient(user).order_by("date", "id")
    columns = ("id", "date", "reps_left", "reps_right", "incline")
    first = tests.values_list(*columns, named=True).first()
    latest_two = list(tests.reverse().values_list(*columns, named=True)[:2])
    if not latest_two:
        return None
    last = latest_two[0]
    current = metrics.symmetry(left=last.reps_left, right=last.reps_right, affected_side=affected_side)
    start = metrics.symmetry(left=first.reps_left, right=first.reps_right, affected_side=affected_side)
    leg = "reps_left" if current.involved_side == "left" else "reps_right"
    change = getattr(last, leg) - getattr(first, leg) if first != last else None
    verdict = metrics.heel_rise_verdict(current.lsi, target_lsi)
    previous = None
    if len(latest_two) == 2 and latest_two[1] != first:
        before = latest_two[1]
        previous_change = getattr(last, leg) - getattr(before, leg)
        previous = PreviousHeelRise(
            date=before.date,
            lsi=metrics.symmetry(
                left=before.reps_left, right=before.reps_right, affected_side=affected_side
            ).lsi,
            same_surface=before.incline == last.incline,
            involved_change=previous_change,
            involved_change_real=metrics.is_real_change(previous_change, measure="heel_rise"),
        )
    return HeelRiseHeadline(
        date=last.date,
        left=last.reps_left,
        right=last.reps_right,
        symmetry=current,
        target_lsi=verdict.target_lsi,
        target_reached=verdict.target_reached,
        zone=verdict.zone,
        first_lsi=start.lsi,
        involved_change=change,
        involved_change_real=None if change is None else metrics.is_real_change(change, measure="heel_rise"),
        norm=metrics.heel_rise_norm(sex),
        previous=previous,
    )


@dataclass(frozen=True)
class PainHeadline:
    date: datetime.date | None
    latest_after: int | None
    latest_morning: int | None
    breaches: list[metrics.RedFlag]
    recent_sessions: int  # in the last PAIN_REVIEW_DAYS days, the sessions the rules judge

    @property
    def kept_text(self) -> str:
        return metrics.pain_rules_kept(self.recent_sessions)


def pain_headline(user: User, *, today: datetime.date, paused: bool = False) -> PainHeadline:
    """The latest pain and whether last week's sessions kept the pain-monitoring rules; `paused`:
    an urgent flag pauses her exercises (the breaches' advice is for when she starts again)."""
    week_ago = today - datetime.timedelta(days=metrics.PAIN_REVIEW_DAYS)
    last_week = ExerciseSession.objects.for_patient(user).filter(
        performed_at__gte=day_start(week_ago + datetime.timedelta(days=1))
    )
    worst = last_week.aggregate(
        during=Max("entries__pain_during"), after=Max("pain_after"), sessions=Count("pk", distinct=True)
    )
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
        .filter(date__gt=today - datetime.timedelta(days=2 * metrics.PAIN_REVIEW_DAYS))
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
        paused=paused,
    )
    return PainHeadline(
        date=timezone.localtime(latest_session["performed_at"]).date() if latest_session else None,
        latest_after=latest_session["pain_after"] if latest_session else None,
        latest_morning=morning,
        breaches=breaches,
        recent_sessions=worst["sessions"],
    )


def worsening_atrophy(
    user: User, *, rows: list[tuple], affected_side: str, today: datetime.date
) -> metrics.RedFlag | None:
    """Atrophy getting worse over WORSENING_WINDOW_WEEKS despite good adherence (review flag).

    Compares her latest measurement at the site of `rows` (girth_rows) with the latest one at least
    12 weeks before it, and takes the adherence over the days between them.
    """
    if not rows:
        return None
    now = rows[-1]
    window = datetime.timedelta(weeks=metrics.WORSENING_WINDOW_WEEKS)
    then = next((row for row in reversed(rows) if row[0] <= now[0] - window), None)
    # Adherence is asked for either way, so the page's query count does not depend on her data.
    kept_up = programme.adherence(
        user, start=then[0] if then else now[0] - window, end=min(now[0], today), today=today
    )
    if then is None:
        return None
    current = metrics.symmetry(left=now[1], right=now[2], affected_side=affected_side)
    earlier = metrics.symmetry(left=then[1], right=then[2], affected_side=affected_side)
    return metrics.worsening_atrophy_flag(
        lsi_then=earlier.lsi,
        lsi_now=current.lsi,
        difference_then=earlier.difference,
        difference_now=current.difference,
        adherence_percent=kept_up.percent,
    )


@dataclass(frozen=True)
class ProgressSummary:
    """Everything a headline says about one patient, for one girth site."""

    site: str | None  # the girth site the girth numbers are for; None before her first measurement
    measured_sites: list[str]
    girth: GirthHeadline | None
    heel_rise: HeelRiseHeadline | None
    pain: PainHeadline
    adherence: programme.Adherence  # the last ADHERENCE_WINDOW_DAYS days
    this_week: programme.Adherence  # Monday to Sunday, done so far
    red_flags: list[metrics.RedFlag]  # urgent flags first, then the review flag


def progress_summary(
    patient: User, *, site: str | None = None, today: datetime.date | None = None
) -> ProgressSummary:
    """The headline numbers of `patient` (a user with a profile) at `site`.

    A site she has not measured (or None) falls back to metrics.default_site.
    """
    profile: PatientProfile = patient.profile
    today = today or timezone.localdate()
    sites = series.measured_sites(patient)
    if site not in sites:
        site = sites[0] if sites else None
    rows = girth_rows(patient, site=site) if site is not None else []
    flags = active_red_flags(patient, affected_side=profile.affected_side, today=today)
    worse = worsening_atrophy(patient, rows=rows, affected_side=profile.affected_side, today=today)
    if worse is not None:
        flags.append(worse)
    return ProgressSummary(
        site=site,
        measured_sites=sites,
        girth=None
        if site is None
        else girth_headline(
            patient,
            site=site,
            affected_side=profile.affected_side,
            today=today,
            rows=rows,
        ),
        heel_rise=heel_rise_headline(
            patient,
            affected_side=profile.affected_side,
            sex=profile.sex,
            target_lsi=float(profile.target_lsi),
        ),
        pain=pain_headline(patient, today=today, paused=metrics.pauses_exercise(flags)),
        adherence=programme.recent_adherence(patient, today=today),
        this_week=programme.week_adherence(patient, today=today),
        red_flags=flags,
    )
