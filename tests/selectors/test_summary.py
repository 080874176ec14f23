"""selectors.summary.heel_rise_headline: her latest test judged against her first test and against the
one just before it (domain: many small steps add up, and one real drop must not hide behind them)."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import HeelRiseTestFactory
from tracker.selectors.summary import heel_rise_headline

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def headline_after(patient, *reps_left: int, last_incline: int = 10):
    """Her tests three weeks apart, the left (involved) leg doing reps_left, the right 26."""
    for i, left in enumerate(reps_left):
        last = i == len(reps_left) - 1
        HeelRiseTestFactory(
            patient=patient, date=days_ago(21 * (len(reps_left) - 1 - i) + 2), reps_left=left,
            reps_right=26, incline=last_incline if last else 10,
        )
    return heel_rise_headline(patient, affected_side="left", sex="F")


def test_a_real_drop_since_the_previous_test_is_given_beside_the_change_since_the_first(patient):
    headline = headline_after(patient, 14, 22, 16)
    assert (headline.involved_change, headline.involved_change_real) == (2, False)
    previous = headline.previous
    assert previous.date == days_ago(23) and previous.same_surface
    assert (previous.involved_change, previous.involved_change_real) == (-6, True)
    assert (previous.lsi, headline.symmetry.lsi) == (84.6, 61.5)


def test_a_small_step_since_the_previous_test_is_within_error(patient):
    previous = headline_after(patient, 14, 18, 21).previous
    assert (previous.involved_change, previous.involved_change_real) == (3, False)


def test_with_two_tests_the_previous_is_the_first_and_is_not_given_twice(patient):
    headline = headline_after(patient, 14, 22)
    assert headline.previous is None
    assert (headline.involved_change, headline.involved_change_real) == (8, True)


def test_a_test_on_another_surface_is_not_compared(patient):
    previous = headline_after(patient, 14, 22, 16, last_incline=0).previous
    assert previous.same_surface is False
