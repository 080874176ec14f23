"""The prescribed programme and how much of it was done (adherence)."""

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q

from tracker import metrics
from tracker.models import ExerciseEntry, ExerciseSession, Prescription, User
from tracker.selectors.common import day_start


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


def adherence_many(windows: dict[int, tuple[datetime.date, datetime.date]]) -> dict[int, dict]:
    """Adherence of several patients, each over her own window {patient id: (start, end)}.

    Two queries whatever the number of patients; `adherence` is this for one patient.
    """
    if not windows:
        return {}
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
    result = {}
    for patient_id, (start, end) in windows.items():
        expected = metrics.expected_sessions(prescriptions=programmes[patient_id], start=start, end=end)
        count = done.get(patient_id, 0)
        result[patient_id] = {
            "done": count,
            "expected": round(expected, 1),
            "percent": metrics.adherence_percent(sessions_done=count, sessions_expected=expected),
        }
    return result


def adherence(user: User, *, start: datetime.date, end: datetime.date) -> dict:
    """Sessions containing a prescribed exercise vs sessions the programme expects, in start..end."""
    return adherence_many({user.pk: (start, end)})[user.pk]


def recent_adherence(user: User, *, today: datetime.date) -> dict:
    """Adherence over the last ADHERENCE_WINDOW_DAYS days, today included."""
    start = today - datetime.timedelta(days=metrics.ADHERENCE_WINDOW_DAYS - 1)
    return adherence(user, start=start, end=today)


def sessions_this_week(user: User, today: datetime.date) -> dict:
    """Sessions logged since Monday and how many a week the active programme asks for."""
    monday = metrics.week_start(today)
    done = ExerciseSession.objects.for_patient(user).filter(performed_at__gte=day_start(monday)).count()
    prescribed = (
        Prescription.objects.for_patient(user).active_on(today).aggregate(n=Max("times_per_week"))["n"]
    )
    return {"done": done, "prescribed": prescribed}
