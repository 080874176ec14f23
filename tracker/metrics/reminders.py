"""Reminders and alerts: defaults, quiet hours, send windows, when each kind is due, digest priority."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from tracker.metrics.base import DAYS_PER_WEEK, NOT_LOGGED_DAYS

# --- Reminders and alerts (clinical-rules: "Reminders") --------------------------------------------
# A patient's reminders are off until she turns them on; these are the defaults she can change.
REMINDER_DEFAULT_TIME = time(18, 0)  # in her own time zone
QUIET_HOURS_START = time(21, 0)  # no reminder from 21:00 ...
QUIET_HOURS_END = time(8, 0)  # ... to 08:00, her time
REMINDER_TIME_RANGE = (QUIET_HOURS_END, time(20, 59))  # a reminder time she may choose
REMINDER_SEND_WINDOW_HOURS = 3  # a reminder the queue could not send within 3 h of its time is dropped
MEASUREMENT_REMINDER_DAYS = 14  # her last girth measurement is 14 days old
HEEL_RISE_REMINDER_DAYS = 28  # a heel-rise test every 4 weeks
REMINDER_REPEAT_DAYS = 7  # an undone measurement or test is asked for again after a week
# Session days from the programme's weekly frequency (0 = Monday): spread over the week.
SESSION_DAYS_BY_FREQUENCY = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 2, 4, 6),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
}
# The physio: urgent alerts at once (any hour), a digest at her chosen time.
DIGEST_DEFAULT_TIME = time(7, 30)
# Why a patient is in the digest, most pressing first.
ATTENTION_REASONS = ("warning_sign", "pain_rule", "not_logged", "new_data", "worsening")


def default_session_days(times_per_week: int) -> tuple[int, ...]:
    """The weekdays (0 = Monday) a programme of `times_per_week` sessions expects; none without one."""
    if times_per_week <= 0:
        return ()
    return SESSION_DAYS_BY_FREQUENCY.get(times_per_week, tuple(range(DAYS_PER_WEEK)))


def in_quiet_hours(moment: time) -> bool:
    """21:00-08:00 local time: no reminder is sent."""
    return moment >= QUIET_HOURS_START or moment < QUIET_HOURS_END


def scheduled_time_reached(local_now: datetime, at: time, *, quiet_hours: bool = True) -> bool:
    """Whether an e-mail planned for `at` (local) may go now: from `at`, for REMINDER_SEND_WINDOW_HOURS
    of the same day, outside quiet hours when they apply. Comparing wall-clock times also works on a
    daylight-saving day, when `at` may not exist or happen twice (the claim keeps one per day)."""
    now = local_now.time().replace(tzinfo=None)
    start = datetime.combine(local_now.date(), at)
    window_end = start + timedelta(hours=REMINDER_SEND_WINDOW_HOURS)
    in_window = at <= now and (window_end.date() > start.date() or now < window_end.time())
    return in_window and not (quiet_hours and in_quiet_hours(now))


def session_reminder_due(*, local_now: datetime, at: time, days: Iterable[int], logged_today: bool) -> bool:
    """A session reminder: on her session days, from her time, unless she has logged one today."""
    return local_now.weekday() in set(days) and not logged_today and scheduled_time_reached(local_now, at)


def record_reminder_due(
    *, local_now: datetime, at: time, last_done: date | None, every_days: int, last_reminded: date | None
) -> bool:
    """A measurement or test reminder: the last one is `every_days` old (or there is none), she was
    not reminded in the last REMINDER_REPEAT_DAYS, and it is her time."""
    today = local_now.date()
    if last_done is not None and (today - last_done).days < every_days:
        return False
    if last_reminded is not None and (today - last_reminded).days < REMINDER_REPEAT_DAYS:
        return False
    return scheduled_time_reached(local_now, at)


def not_logged_for_long(last_activity: date | None, today: date) -> bool:
    """Nothing logged for NOT_LOGGED_DAYS or more (or ever): the caseload's "quiet" patient."""
    return last_activity is None or (today - last_activity).days >= NOT_LOGGED_DAYS


def attention_reasons(
    *, urgent_flag: bool, pain_rule: bool, not_logged: bool, new_data: bool, worsening: bool
) -> tuple[str, ...]:
    """Why a patient needs her physio's attention, most pressing first (ATTENTION_REASONS order)."""
    found = {
        "warning_sign": urgent_flag,
        "pain_rule": pain_rule,
        "not_logged": not_logged,
        "new_data": new_data,
        "worsening": worsening,
    }
    return tuple(reason for reason in ATTENTION_REASONS if found[reason])
