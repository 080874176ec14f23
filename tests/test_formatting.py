"""How numbers are written for people (tracker.formatting)."""

import datetime

from tracker import formatting, progression
from tracker.selectors.programme import Adherence

DAY = datetime.date(2026, 11, 23)


def adherence(done: int, expected: int) -> Adherence:
    return Adherence(DAY, DAY + datetime.timedelta(days=13), done, expected, None, False)


def test_sessions_done_against_expected():
    assert formatting.sessions_done(adherence(2, 14)) == "2 of 14 sessions"
    assert formatting.sessions_done(adherence(8, 8)) == "8 of 8 sessions"
    assert formatting.sessions_done(adherence(0, 1)) == "0 of 1 session"


def test_more_sessions_than_expected_are_counted_not_written_as_a_fraction_above_one():
    assert formatting.sessions_done(adherence(9, 8)) == "9 sessions, more than the 8 expected"


def test_the_short_count_is_a_fraction_only_up_to_what_was_expected():
    assert formatting.sessions_count(2, 4) == "2 of 4"
    assert formatting.sessions_count(4, 4) == "4 of 4"
    assert formatting.sessions_count(4, 3) == "4"  # never "4 of 3"


def test_a_rest_day_counts_the_weeks_sessions_without_a_fraction_above_one():
    def rest(done_this_week: int) -> str:
        status = progression.today_status(times_per_week=3, done_today=0, done_this_week=done_this_week)
        return formatting.today_words(status, done_this_week, 3)

    assert rest(3) == "Rest day: 3 of 3 done this week"
    assert rest(4) == "Rest day: 4 done this week"  # never "4 of 3"


def test_the_girth_range_is_said_in_her_unit():
    assert formatting.girth_range("cm") == "15.0 to 80.0 cm"
    assert formatting.girth_range("in") == "5.9 to 31.5 in"


def test_a_change_in_heel_rises_is_signed_and_counted_in_words():
    assert [formatting.rise_change(n) for n in (8, 1, 0, -1, -6)] == [
        "+8 rises", "+1 rise", "0 rises", "-1 rise", "-6 rises"
    ]
