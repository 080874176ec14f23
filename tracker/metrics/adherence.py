"""Training volume, expected sessions and adherence, week boundaries."""

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import pairwise

from tracker.metrics.base import DAYS_PER_WEEK, EXERCISE_SIDES, SIDES, Number, _check_choice, _round

# --- Exercise volume and adherence ----------------------------------------------------------------


def training_volume(
    *, sets: int | None, reps: int | None, load_kg: Number | None = 0
) -> tuple[int, float]:
    """Training volume = (sets x reps, sets x reps x load kg); (0, 0.0) without sets or reps."""
    if sets is None or reps is None:
        return 0, 0.0
    total_reps = int(sets) * int(reps)
    load = 0.0 if load_kg is None else float(load_kg)
    return total_reps, _round(total_reps * load, 2)


def side_shares(side: str) -> tuple[str, ...]:
    """Legs an exercise counts for: an exercise on "both" legs counts for each leg."""
    _check_choice(side, EXERCISE_SIDES, "side")
    return SIDES if side == "both" else (side,)


def expected_sessions(
    *, prescriptions: Iterable[tuple[int, date, date | None]], start: date, end: date
) -> int:
    """Sessions the active prescriptions expect in start..end (inclusive), a whole number.

    A session can hold several exercises, so each day expects max(times_per_week of the
    prescriptions active that day) / 7; the sum is rounded to whole sessions (half up; a sum of
    sevenths is never exactly a half). Prescription end dates are inclusive; None = open.
    """
    if end < start:
        raise ValueError("The window end must not be before its start.")
    rules = list(prescriptions)
    # Day by day, but a stretch of days where no prescription starts or ends asks the same each day.
    after_end = end + timedelta(days=1)
    changes = {start, after_end}
    for _times, p_start, p_end in rules:
        changes.add(min(max(p_start, start), after_end))
        if p_end is not None:
            changes.add(min(max(p_end + timedelta(days=1), start), after_end))
    bounds = sorted(changes)
    total_per_week = sum(
        sessions_per_week_on(rules, first) * (following - first).days
        for first, following in pairwise(bounds)
    )
    return whole_sessions(total_per_week)


def sessions_per_week_on(prescriptions: Iterable[tuple[int, date, date | None]], day: date) -> int:
    """The sessions a week the programme asks for on `day`: the highest times_per_week of the
    prescriptions active that day (a session can hold several exercises); 0 without one."""
    active = [
        int(times)
        for times, p_start, p_end in prescriptions
        if p_start <= day and (p_end is None or day <= p_end)
    ]
    return max(active, default=0)


def whole_sessions(sevenths: int) -> int:
    """A sum of (sessions a week) over days, i.e. sevenths of a session, rounded to whole sessions."""
    return (2 * int(sevenths) + DAYS_PER_WEEK) // (2 * DAYS_PER_WEEK)


def adherence_percent(*, sessions_done: int, sessions_expected: Number) -> float | None:
    """Adherence = done / expected x 100, capped at 100%, 1 decimal; None when nothing expected."""
    expected = float(sessions_expected)
    if expected <= 0:
        return None
    return _round(min(100.0, sessions_done / expected * 100), 1)


def week_start(d: date) -> date:
    """The Monday of d's ISO week."""
    return d - timedelta(days=d.weekday())


def unfinished(*, end: date, today: date) -> bool:
    """A week (or any window) is unfinished while it holds today: until today is over she can still
    log a session, so a Sunday's week is "2 of 3 so far", never a finished 67%."""
    return end >= today
