"""The chart series: per-leg volume with load and stretch time, this week "so far", cramps left
unanswered, the girth baseline and the heel-rise surface."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tracker import metrics
from tracker.selectors import programme, series

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def last_week_moment() -> datetime.datetime:
    monday = metrics.week_start(today()) - datetime.timedelta(weeks=1)
    return timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=2), datetime.time(18))
    )


def test_volume_counts_each_leg_load_and_stretch_separately(patient):
    PrescriptionFactory(
        patient=patient,
        exercise=exercise("single-leg-calf-raise"),
        side="left",
        sets=3,
        reps=12,
        times_per_week=3,
        start_date=today() - datetime.timedelta(weeks=3),
    )
    PrescriptionFactory(
        patient=patient,
        side="both",
        sets=3,
        reps=15,
        times_per_week=4,
        start_date=today() - datetime.timedelta(weeks=3),
    )
    session = ExerciseSessionFactory(patient=patient, performed_at=last_week_moment())
    ExerciseEntryFactory(
        session=session,
        exercise=exercise("single-leg-calf-raise"),
        side="left",
        sets=3,
        reps=12,
        load_kg=Decimal("2.0"),
    )
    ExerciseEntryFactory(
        session=session, exercise=exercise("eccentric-heel-drop-straight"), side="both", sets=3, reps=15
    )
    ExerciseEntryFactory(
        session=session,
        exercise=exercise("wall-gastrocnemius-stretch"),
        side="both",
        sets=3,
        reps=None,
        hold_seconds=30,
    )
    period, weeks = series.weekly_volume(patient, start=None, today=today())
    assert period is series.WEEK
    last, this = weeks[-2], weeks[-1]
    assert (last.left, last.right) == (36 + 45, 45)
    assert (last.load_left, last.load_right) == (72.0, 0.0)  # 3 x 12 x 2 kg, left only
    assert (last.stretch_left, last.stretch_right) == (1.5, 1.5)  # 3 x 30 s each leg
    # Each leg's own prescription: the left-only raises are not the right leg's.
    assert (last.prescribed_left, last.prescribed_right) == (3 * 12 * 3 + 3 * 15 * 4, 3 * 15 * 4)
    assert this.so_far and not last.so_far


def test_an_unanswered_cramps_question_stays_none_in_the_pain_series(patient):
    SymptomLogFactory(patient=patient, date=today() - datetime.timedelta(days=2), night_cramps=None)
    SymptomLogFactory(patient=patient, date=today() - datetime.timedelta(days=1), night_cramps=0)
    period, points = series.pain_series(patient, start=today() - datetime.timedelta(days=28), today=today())
    assert period is series.DAY
    assert [p.night_cramps for p in points] == [None, 0.0]


def test_the_girth_baseline_is_her_first_measurement_whatever_the_period(patient):
    GirthMeasurementFactory(
        patient=patient, date=today() - datetime.timedelta(days=200), left_1=Decimal("33.0")
    )
    GirthMeasurementFactory(
        patient=patient, date=today() - datetime.timedelta(days=5), left_1=Decimal("35.0")
    )
    first = series.first_girth(patient, site="tt10")
    assert first.left_cm == 33.0
    assert (
        series.girth_series(patient, site="tt10", start=today() - datetime.timedelta(days=28))[1][0].left_cm
        == 35.0
    )


def test_heel_rise_points_carry_the_surface(patient):
    HeelRiseTestFactory(patient=patient, date=today() - datetime.timedelta(days=9), incline=10)
    HeelRiseTestFactory(patient=patient, date=today() - datetime.timedelta(days=2), incline=0)
    assert [p.incline for p in series.heel_rise_series(patient, start=None)[1]] == [10, 0]


def test_weekly_adherence_is_whole_sessions_and_this_week_is_so_far(patient):
    PrescriptionFactory(patient=patient, times_per_week=4, start_date=today() - datetime.timedelta(weeks=3))
    session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now())
    ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
    weeks = programme.weekly_adherence(patient, first=today() - datetime.timedelta(weeks=2), today=today())
    this = weeks[-1]
    assert this.so_far  # whatever the day, Sunday included: today is not over
    assert (this.done, this.expected) == (1, 4)  # the whole week's sessions, not a pro-rated 1.7
    assert all(isinstance(week.expected, int) for week in weeks)
    assert programme.week_adherence(patient, today=today()) == this


def test_on_a_sunday_this_week_is_still_so_far_in_the_adherence_and_the_volume(patient):
    """Both charts on the dashboard agree: the week is over on Monday, not on Sunday morning."""
    sunday = metrics.week_start(today()) - datetime.timedelta(days=1)  # last Sunday, in the past
    PrescriptionFactory(patient=patient, times_per_week=3, start_date=sunday - datetime.timedelta(weeks=3))
    session = ExerciseSessionFactory(
        patient=patient, performed_at=timezone.make_aware(datetime.datetime.combine(sunday, datetime.time(9)))
    )
    ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))

    def sundays_week(day):
        """That Sunday's week in the adherence and the volume series as they stand on `day`."""
        adherence = programme.weekly_adherence(patient, first=sunday, today=day)[0]
        volume = series.weekly_volume(patient, start=None, today=day)[1][0]
        assert adherence.start == volume.week_start == sunday - datetime.timedelta(days=6)
        return adherence, volume

    adherence, volume = sundays_week(sunday)
    assert (adherence.done, adherence.expected, adherence.so_far, volume.so_far) == (1, 3, True, True)
    adherence, volume = sundays_week(sunday + datetime.timedelta(days=1))
    assert (adherence.percent, adherence.so_far, volume.so_far) == (33.3, False, False)


@pytest.mark.parametrize(
    ("per_week", "days", "expected"), [(4, 14, 8), (4, 3, 2), (3, 1, 0), (7, 5, 5), (2, 4, 1), (3, 6, 3)]
)
def test_expected_sessions_round_to_whole_sessions(per_week, days, expected):
    start = datetime.date(2026, 3, 2)
    window = {"start": start, "end": start + datetime.timedelta(days=days - 1)}
    assert metrics.expected_sessions(prescriptions=[(per_week, start, None)], **window) == expected
