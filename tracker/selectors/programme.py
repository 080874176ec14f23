"""The prescribed programme and how much of it was done (adherence)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from tracker import metrics
from tracker.models import ExerciseEntry, ExerciseSession, Prescription, User
from tracker.selectors.common import as_date, day_start


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

    `expected` is a whole number (metrics.expected_sessions). A window that ends after today is
    unfinished (`so_far`): pages say "2 of 4 so far", never a low percentage.
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
        so_far=end > today,
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
    programme = prescription_windows(user)
    first_week = metrics.week_start(first)
    rows = (
        sessions_with_prescribed_exercise(user)
        .filter(performed_at__gte=day_start(first_week))
        .annotate(week=TruncWeek("performed_at"))
        .values("week")
        .annotate(n=Count("id"))
    )
    done = {as_date(row["week"]): row["n"] for row in rows}
    weeks = []
    week = first_week
    while week <= today:
        end = week + datetime.timedelta(days=6)
        weeks.append(judge(programme, done=done.get(week, 0), start=week, end=end, today=today))
        week += datetime.timedelta(weeks=1)
    return weeks
