"""The reminder rules in tracker.metrics (clinical-rules: "Reminders"): pure, one case per rule."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker import metrics as m

LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# --- defaults ---------------------------------------------------------------------------------------


def test_the_defaults_are_the_domains():
    assert m.REMINDER_DEFAULT_TIME == time(18, 0)
    assert (m.QUIET_HOURS_START, m.QUIET_HOURS_END) == (time(21, 0), time(8, 0))
    assert m.MEASUREMENT_REMINDER_DAYS == 14
    assert m.HEEL_RISE_REMINDER_DAYS == 28
    assert m.DIGEST_DEFAULT_TIME == time(7, 30)


@pytest.mark.parametrize(
    ("per_week", "days"),
    [
        (0, ()),
        (1, (0,)),
        (2, (0, 3)),
        (3, (0, 2, 4)),
        (4, (0, 2, 4, 6)),
        (5, (0, 1, 2, 3, 4)),
        (7, tuple(range(7))),
        (14, tuple(range(7))),
    ],
)
def test_session_days_follow_the_programmes_frequency(per_week, days):
    assert m.default_session_days(per_week) == days


# --- quiet hours and the send window ------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(7, 59), True),
        (time(8, 0), False),
        (time(18, 0), False),
        (time(20, 59), False),
        (time(21, 0), True),
        (time(23, 30), True),
        (time(0, 0), True),
    ],
)
def test_quiet_hours_are_21_to_8(moment, quiet):
    assert m.in_quiet_hours(moment) is quiet


def test_a_reminder_time_may_not_be_in_quiet_hours():
    low, high = m.REMINDER_TIME_RANGE
    assert not m.in_quiet_hours(low) and not m.in_quiet_hours(high)
    assert m.in_quiet_hours((datetime.combine(date.min, high) + timedelta(minutes=1)).time())


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ((17, 59), False),
        ((18, 0), True),
        ((18, 5), True),
        ((20, 59), True),
        ((21, 0), False),
        ((23, 30), False),
    ],
)
def test_a_reminder_goes_from_its_time_until_quiet_hours(now, due):
    assert m.scheduled_time_reached(london(2026, 6, 8, *now), time(18, 0)) is due


def test_a_reminder_the_queue_could_not_send_within_3_hours_is_dropped():
    at = time(9, 0)
    assert m.scheduled_time_reached(london(2026, 6, 8, 11, 59), at)
    assert not m.scheduled_time_reached(london(2026, 6, 8, 12, 0), at)


def test_the_physios_digest_ignores_quiet_hours_and_its_window_stops_at_midnight():
    assert m.scheduled_time_reached(london(2026, 6, 8, 7, 35), time(7, 30), quiet_hours=False)
    assert not m.scheduled_time_reached(london(2026, 6, 8, 7, 35), time(7, 30))
    assert m.scheduled_time_reached(london(2026, 6, 8, 23, 59), time(23, 0), quiet_hours=False)
    assert not m.scheduled_time_reached(london(2026, 6, 9, 0, 30), time(23, 0), quiet_hours=False)


# --- time zones and daylight saving ------------------------------------------------------------


def test_18_00_is_the_patients_own_time_across_the_clocks_going_forward():
    """London goes from GMT to BST on Sunday 29 March 2026: 18:00 is 18:00 UTC on Saturday, 17:00 UTC
    on Sunday."""
    saturday = datetime(2026, 3, 28, 17, 5, tzinfo=UTC).astimezone(LONDON)
    sunday = datetime(2026, 3, 29, 17, 5, tzinfo=UTC).astimezone(LONDON)
    assert not m.scheduled_time_reached(saturday, time(18, 0))
    assert m.scheduled_time_reached(sunday, time(18, 0))
    assert m.scheduled_time_reached(saturday + timedelta(hours=1), time(18, 0))


def test_a_time_the_clocks_skip_is_reached_when_they_jump():
    """01:30 does not exist in London on 29 March 2026: the digest goes at 02:00 (clock time 02:00)."""
    before = datetime(2026, 3, 29, 0, 59, tzinfo=UTC).astimezone(LONDON)
    after = datetime(2026, 3, 29, 1, 0, tzinfo=UTC).astimezone(LONDON)
    assert (before.time(), after.time()) == (time(0, 59), time(2, 0))
    assert not m.scheduled_time_reached(before, time(1, 30), quiet_hours=False)
    assert m.scheduled_time_reached(after, time(1, 30), quiet_hours=False)


def test_a_time_that_happens_twice_is_reached_both_times_and_the_day_is_the_same():
    """01:30 happens twice in London on 25 October 2026; the claim per local date sends one."""
    first = datetime(2026, 10, 25, 0, 35, tzinfo=UTC).astimezone(LONDON)
    second = datetime(2026, 10, 25, 1, 35, tzinfo=UTC).astimezone(LONDON)
    assert first.time() == second.time() == time(1, 35)
    assert first.date() == second.date()
    assert m.scheduled_time_reached(first, time(1, 30), quiet_hours=False)
    assert m.scheduled_time_reached(second, time(1, 30), quiet_hours=False)


def test_the_same_moment_is_evening_in_london_and_morning_in_sydney():
    moment = datetime(2026, 6, 8, 17, 5, tzinfo=UTC)
    assert m.scheduled_time_reached(moment.astimezone(LONDON), time(18, 0))
    assert not m.scheduled_time_reached(moment.astimezone(SYDNEY), time(18, 0))  # 03:05 in Sydney


# --- the session reminder -------------------------------------------------------------------------


MONDAY_18_05 = london(2026, 6, 8, 18, 5)


def test_a_session_reminder_is_due_on_her_day_at_her_time():
    assert m.session_reminder_due(local_now=MONDAY_18_05, at=time(18, 0), days=(0, 2), logged_today=False)


def test_no_session_reminder_on_other_days_or_before_her_time():
    assert not m.session_reminder_due(local_now=MONDAY_18_05, at=time(18, 0), days=(1, 3), logged_today=False)
    assert not m.session_reminder_due(local_now=MONDAY_18_05, at=time(18, 30), days=(0,), logged_today=False)
    assert not m.session_reminder_due(local_now=MONDAY_18_05, at=time(18, 0), days=(), logged_today=False)


def test_a_session_logged_today_cancels_the_reminder():
    assert not m.session_reminder_due(local_now=MONDAY_18_05, at=time(18, 0), days=(0,), logged_today=True)


def test_no_session_reminder_in_quiet_hours():
    late = london(2026, 6, 8, 23, 30)
    assert not m.session_reminder_due(local_now=late, at=time(20, 30), days=(0,), logged_today=False)


# --- measurement and heel-rise reminders ---------------------------------------------------------


def record_due(*, last_done, last_reminded=None, every=14, now=MONDAY_18_05) -> bool:
    return m.record_reminder_due(
        local_now=now, at=time(18, 0), last_done=last_done, every_days=every, last_reminded=last_reminded
    )


def test_a_measurement_reminder_is_due_when_the_last_is_14_days_old():
    today = MONDAY_18_05.date()
    assert not record_due(last_done=today - timedelta(days=13))
    assert record_due(last_done=today - timedelta(days=14))
    assert record_due(last_done=None)  # never measured


def test_a_heel_rise_reminder_every_4_weeks():
    today = MONDAY_18_05.date()
    assert not record_due(last_done=today - timedelta(days=27), every=28)
    assert record_due(last_done=today - timedelta(days=28), every=28)


def test_an_undone_measurement_is_asked_for_again_after_a_week():
    today = MONDAY_18_05.date()
    overdue = today - timedelta(days=30)
    assert not record_due(last_done=overdue, last_reminded=today - timedelta(days=6))
    assert record_due(last_done=overdue, last_reminded=today - timedelta(days=7))


def test_a_measurement_reminder_waits_for_her_time_and_quiet_hours():
    assert not record_due(last_done=None, now=london(2026, 6, 8, 17, 0))
    assert not record_due(last_done=None, now=london(2026, 6, 8, 22, 0))


# --- the physio's digest --------------------------------------------------------------------------


def test_not_logged_for_7_days_or_ever():
    today = date(2026, 6, 8)
    assert not m.not_logged_for_long(today - timedelta(days=6), today)
    assert m.not_logged_for_long(today - timedelta(days=7), today)
    assert m.not_logged_for_long(None, today)


def test_attention_reasons_come_most_pressing_first():
    reasons = m.attention_reasons(
        urgent_flag=True, pain_rule=True, not_logged=False, new_data=True, worsening=True
    )
    assert reasons == ("warning_sign", "pain_rule", "new_data", "worsening")
    assert (
        m.attention_reasons(
            urgent_flag=False, pain_rule=False, not_logged=False, new_data=False, worsening=False
        )
        == ()
    )
