"""The prescribed programme: how much of it was done (adherence), today's plan and what comes next."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from tracker import metrics, progression
from tracker.access import visible_media
from tracker.models import (
    ExerciseEntry,
    ExerciseMedia,
    ExerciseSession,
    Prescription,
    ProgrammeStep,
    SymptomLog,
    User,
)
from tracker.selectors import periods
from tracker.selectors.common import as_date, day_start
from tracker.selectors.flags import exercise_paused


def prescription_windows(user: User) -> list[tuple[int, datetime.date, datetime.date | None]]:
    """(times per week, start, end) of each active prescription: what metrics.expected_sessions takes."""
    return list(
        Prescription.objects.for_patient(user)
        .filter(active=True)
        .values_list("times_per_week", "start_date", "end_date")
    )


def _has_prescribed_exercise():
    """For a session row: it holds an exercise of its patient's active programme."""
    return Exists(
        ExerciseEntry.objects.filter(
            session=OuterRef("pk"),
            exercise__prescriptions__patient=OuterRef("patient"),
            exercise__prescriptions__active=True,
        )
    )


def sessions_with_prescribed_exercise(user: User):
    """Her sessions that contain at least one exercise of her active programme."""
    return ExerciseSession.objects.for_patient(user).filter(_has_prescribed_exercise())


@dataclass(frozen=True)
class Adherence:
    """Sessions done against sessions expected in start..end: every adherence figure on every page.

    `expected` is a whole number (metrics.expected_sessions). A window that holds today is
    unfinished (`so_far`, metrics.unfinished): pages say "2 of 4 so far", never a low percentage.
    """

    start: datetime.date
    end: datetime.date
    done: int
    expected: int
    percent: float | None  # capped at 100; None when nothing is expected
    so_far: bool


def judge(programme: list, *, done: int, start: datetime.date, end: datetime.date,
          today: datetime.date) -> Adherence:
    """The adherence of one window, given her programme (prescription_windows) and sessions done."""
    expected = metrics.expected_sessions(prescriptions=programme, start=start, end=end)
    return Adherence(
        start=start,
        end=end,
        done=done,
        expected=expected,
        percent=metrics.adherence_percent(sessions_done=done, sessions_expected=expected),
        so_far=metrics.unfinished(end=end, today=today),
    )


def adherence_many(
    windows: dict[int, tuple[datetime.date, datetime.date]], *, today: datetime.date | None = None
) -> dict[int, Adherence]:
    """Adherence of several patients, each over her own window {patient id: (start, end)}.

    Two queries whatever the number of patients; `adherence` is this for one patient. Sessions are
    counted up to the window's end (none can be logged after today).
    """
    if not windows:
        return {}
    today = today or timezone.localdate()
    programmes: dict[int, list] = {patient_id: [] for patient_id in windows}
    rows = (
        Prescription.objects.filter(patient_id__in=windows, active=True)
        .values_list("patient_id", "times_per_week", "start_date", "end_date")
    )
    for patient_id, per_week, begin, end in rows:
        programmes[patient_id].append((per_week, begin, end))
    in_window = Q()
    for patient_id, (start, end) in windows.items():
        in_window |= Q(
            patient_id=patient_id,
            performed_at__gte=day_start(start),
            performed_at__lt=day_start(end + datetime.timedelta(days=1)),
        )
    done = dict(
        ExerciseSession.objects.filter(in_window)
        .filter(_has_prescribed_exercise())
        .order_by()
        .values("patient_id")
        .annotate(n=Count("pk"))
        .values_list("patient_id", "n")
    )
    return {
        patient_id: judge(programmes[patient_id], done=done.get(patient_id, 0), start=start, end=end,
                          today=today)
        for patient_id, (start, end) in windows.items()
    }


def adherence(user: User, *, start: datetime.date, end: datetime.date,
              today: datetime.date | None = None) -> Adherence:
    """Sessions containing a prescribed exercise vs sessions the programme expects, in start..end."""
    return adherence_many({user.pk: (start, end)}, today=today)[user.pk]


def recent_adherence(user: User, *, today: datetime.date) -> Adherence:
    """Adherence over the last ADHERENCE_WINDOW_DAYS days, today included."""
    start = today - datetime.timedelta(days=metrics.ADHERENCE_WINDOW_DAYS - 1)
    return adherence(user, start=start, end=today, today=today)


def week_adherence(user: User, *, today: datetime.date) -> Adherence:
    """This week (Monday to Sunday): sessions so far against the whole week's expected sessions."""
    monday = metrics.week_start(today)
    return adherence(user, start=monday, end=monday + datetime.timedelta(days=6), today=today)


def weekly_adherence(
    user: User, *, first: datetime.date, today: datetime.date
) -> list[Adherence]:
    """Adherence of each week (Monday to Sunday) from the week of `first` to this week (so far)."""
    return adherence_by_period(user, first=first, today=today, period=periods.WEEK)


def adherence_by_period(
    user: User, *, first: datetime.date, today: datetime.date, period: periods.Period
) -> list[Adherence]:
    """Adherence of each period (week, month, quarter or year) from the one holding `first` to the
    one holding today (so far). One query for the sessions whatever the number of periods."""
    programme = prescription_windows(user)
    starts = period.starts(first, today)
    if not starts:
        return []
    rows = (
        sessions_with_prescribed_exercise(user)
        .filter(performed_at__gte=day_start(starts[0]))
        .annotate(bucket=period.trunc("performed_at"))
        .values("bucket")
        .annotate(n=Count("id"))
    )
    done = {as_date(row["bucket"]): row["n"] for row in rows}
    return [
        judge(
            programme,
            done=done.get(begin, 0),
            start=begin,
            end=period.last_day(begin),
            today=today,
        )
        for begin in starts
    ]


# --- "My programme": today's plan, the steps and what comes next ---------------------------------


@dataclass(frozen=True)
class PlanItem:
    prescription: Prescription  # with its exercise
    today: progression.TodayStatus
    done_this_week: int
    week: int  # the week of her programme (1 = its first 7 days)
    steps: list[ProgrammeStep]
    next_step: progression.Proposal
    more_load: progression.Proposal | None  # Alfredson: more load when easy and pain-free
    media: list[ExerciseMedia]


def session_pains(user: User, *, start: datetime.date, end: datetime.date) -> list[progression.SessionPain]:
    """The pain of each session in start..end, with her check-in of the next morning."""
    sessions = list(
        ExerciseSession.objects.for_patient(user)
        .filter(performed_at__gte=day_start(start))
        .filter(performed_at__lt=day_start(end + datetime.timedelta(days=1)))
        .annotate(during=Max("entries__pain_during"))
        .order_by("performed_at")
        .values("performed_at", "pain_before", "pain_after", "during")
    )
    mornings = dict(
        SymptomLog.objects.for_patient(user)
        .filter(date__gt=start, date__lte=end + datetime.timedelta(days=1), pain_next_morning__isnull=False)
        .values_list("date", "pain_next_morning")
    )
    pains = []
    for row in sessions:
        day = timezone.localtime(row["performed_at"]).date()
        pains.append(progression.SessionPain(
            day=day, before=row["pain_before"], during=row["during"], after=row["pain_after"],
            next_morning=mornings.get(day + datetime.timedelta(days=1)),
        ))
    return pains


def exercise_pains(user: User, *, start: datetime.date, end: datetime.date) -> dict[int, list]:
    """{exercise id: [ExercisePain]} of her entries in start..end (pain during, the session's effort)."""
    rows = (
        ExerciseEntry.objects.filter(
            session__patient=user,
            session__performed_at__gte=day_start(start),
            session__performed_at__lt=day_start(end + datetime.timedelta(days=1)),
        )
        .values_list("exercise_id", "session__performed_at", "pain_during", "session__rpe")
    )
    found: dict[int, list] = {}
    for exercise_id, performed_at, pain, effort in rows:
        day = timezone.localtime(performed_at).date()
        pain_of_entry = progression.ExercisePain(day=day, pain_during=pain, effort=effort)
        found.setdefault(exercise_id, []).append(pain_of_entry)
    return found


def _sessions_per_exercise(user: User, *, since: datetime.date, today: datetime.date) -> tuple[dict, dict]:
    """({exercise id: sessions today}, {exercise id: sessions since `since`}) holding the exercise."""
    rows = (
        ExerciseEntry.objects.filter(session__patient=user, session__performed_at__gte=day_start(since))
        .values_list("exercise_id", "session_id", "session__performed_at")
        .distinct()
    )
    on_day: dict[int, int] = {}
    in_week: dict[int, int] = {}
    for exercise_id, _session_id, performed_at in rows:
        in_week[exercise_id] = in_week.get(exercise_id, 0) + 1
        if timezone.localtime(performed_at).date() == today:
            on_day[exercise_id] = on_day.get(exercise_id, 0) + 1
    return on_day, in_week


def programme_steps(prescription: Prescription) -> list[progression.Step]:
    return [
        progression.Step(number=step.number, start_week=step.start_week, dosage=step.dosage_text())
        for step in prescription.steps.all()
    ]


def prescription_proposals(
    prescription: Prescription, *, pain: progression.PainVerdict, exercise_pain: list, today: datetime.date,
    paused: bool,
) -> tuple[progression.Proposal, progression.Proposal | None]:
    """The next step of one prescription, and (Alfredson) the next load step; `paused`: an urgent
    warning sign is open (selectors.flags.exercise_paused), so nothing moves on."""
    next_step = progression.next_step(
        steps=programme_steps(prescription),
        current=prescription.step_number,
        start=prescription.start_date,
        today=today,
        pain=pain,
        mode=prescription.progression,
        paused=paused,
    )
    more_load = None
    if not pain.breach and not paused:
        more_load = progression.load_proposal(
            exercise_pain, load_kg=float(prescription.load_kg), step_kg=float(prescription.load_step_kg),
            today=today, mode=prescription.progression, last_change=prescription.step_changed_on,
        )
    return next_step, more_load


def pain_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=metrics.PROGRESSION_REVIEW_DAYS - 1), today


def programme_plan(user: User, *, today: datetime.date, paused: bool | None = None) -> list[PlanItem]:
    """Each prescription active today, whether it is due or done, its steps and its next step.

    `paused`: whether an urgent warning sign pauses her programme, when the caller knows already
    (else it is worked out: selectors.flags.exercise_paused).
    """
    prescriptions = list(
        Prescription.objects.for_patient(user).active_on(today)
        .select_related("exercise").prefetch_related("steps").order_by("exercise__name", "id")
    )
    if not prescriptions:
        return []
    if paused is None:
        paused = exercise_paused(user, today=today)
    start, end = pain_window(today)
    pain = progression.pain_verdict(session_pains(user, start=start, end=end), today=today)
    pains_by_exercise = exercise_pains(user, start=start, end=end)
    done_today, done_week = _sessions_per_exercise(user, since=metrics.week_start(today), today=today)
    media = visible_media(user).filter(exercise__in=[p.exercise_id for p in prescriptions])
    media_by_exercise: dict[int, list] = {}
    for item in media.select_related("prescription"):
        if item.prescription_id is None or item.prescription.patient_id == user.pk:
            media_by_exercise.setdefault(item.exercise_id, []).append(item)
    plan = []
    for prescription in prescriptions:
        exercise_id = prescription.exercise_id
        next_step, more_load = prescription_proposals(
            prescription, pain=pain, exercise_pain=pains_by_exercise.get(exercise_id, []), today=today,
            paused=paused,
        )
        plan.append(PlanItem(
            prescription=prescription,
            today=progression.today_status(
                times_per_week=prescription.times_per_week,
                done_today=done_today.get(exercise_id, 0),
                done_this_week=done_week.get(exercise_id, 0),
                paused=paused,
            ),
            done_this_week=done_week.get(exercise_id, 0),
            week=progression.programme_week(prescription.start_date, today),
            steps=list(prescription.steps.all()),
            next_step=next_step,
            more_load=more_load,
            media=media_by_exercise.get(exercise_id, []),
        ))
    return plan


def next_for(prescription: Prescription, *, today: datetime.date):
    """(next step, more load) of one prescription, judged on its patient's pain (the admin's view)."""
    start, end = pain_window(today)
    patient = prescription.patient
    pain = progression.pain_verdict(session_pains(patient, start=start, end=end), today=today)
    pains = exercise_pains(patient, start=start, end=end).get(prescription.exercise_id, [])
    paused = exercise_paused(patient, today=today)
    return prescription_proposals(prescription, pain=pain, exercise_pain=pains, today=today, paused=paused)
