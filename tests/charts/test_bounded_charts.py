"""A chart's cost is bounded whatever the data (issue 19, defect 1).

One session dated 1900 (a typo, or an attacker with an account) made /charts/volume.svg?range=all
draw 6,623 weekly bars: a 5 MB SVG and 30 s of CPU, killed by gunicorn's timeout. Beyond about two
years a chart now groups by month, quarter or year, and never has more than CHART_MAX_POINTS points.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

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
from tracker.charts import training
from tracker.charts.data import CHART_NAMES
from tracker.selectors import periods, series
from tracker.services.tokens import create_token

TODAY = timezone.localdate()
LONG_AGO = datetime.date(1900, 1, 1)
MAX_SVG_BYTES = 400_000
CAP = metrics.CHART_MAX_POINTS


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def a_1900_session_through_the_api(client, patient) -> None:
    """The reproduction of the issue: one entry, performed on 1 January 1900 (201 Created)."""
    secret = create_token(user=patient, name="t")[1]
    entry = {"exercise": exercise("single-leg-calf-raise").pk, "side": "left", "sets": 3, "reps": 12}
    body = {"performed_at": "1900-01-01T12:00:00Z", "entries": [entry]}
    response = client.generic(
        "POST", "/api/v1/sessions/", json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content


def a_record_of_every_kind_in_1900_and_recent_ones(patient) -> None:
    for day in (LONG_AGO, TODAY - datetime.timedelta(days=10), TODAY - datetime.timedelta(days=3)):
        session = ExerciseSessionFactory(patient=patient, performed_at=at_noon(day))
        ExerciseEntryFactory(session=session, pain_during=3, load_kg=Decimal("5.0"))
        ExerciseEntryFactory(
            session=session, exercise=exercise("wall-gastrocnemius-stretch"), side="both", sets=3,
            reps=None, hold_seconds=30,
        )
        GirthMeasurementFactory(patient=patient, date=day)
        HeelRiseTestFactory(patient=patient, date=day)
        SymptomLogFactory(patient=patient, date=day, night_cramps=1)
    PrescriptionFactory(patient=patient, start_date=LONG_AGO)


def chart_on_dashboard(client, name: str):
    """The chart (title, summary, table) the dashboard shows over all her data, for its patient."""
    from tracker.charts.data import ChartOptions, build
    from tracker.models import User
    from tracker.selectors.summary import progress_summary

    assert client.get("/?range=all").status_code == 200
    patient = User.objects.get(pk=client.session["_auth_user_id"])
    today = timezone.localdate()
    site = progress_summary(patient, today=today).site
    return build(name, patient, patient.profile, ChartOptions(range_key="all", site=site), today)


def test_one_session_in_1900_no_longer_makes_thousands_of_bars(patient_client, patient):
    a_1900_session_through_the_api(patient_client, patient)

    volume = chart_on_dashboard(patient_client, "volume")
    # Was 6,623 weekly rows; now a year a row, the empty years between left out.
    assert volume.columns[0] == "Year"
    assert [row[0] for row in volume.rows] == ["1900"]
    assert "average weeks" in volume.summary
    assert volume.columns[1] == "Left (sets × reps a week)"

    for size in ("wide", "phone"):
        chart = patient_client.get(f"/charts/volume.svg?range=all&size={size}")
        assert chart.status_code == 200
        assert len(chart.content) < MAX_SVG_BYTES  # was 5 MB


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_over_all_her_data_is_bounded(patient_client, patient, name):
    a_record_of_every_kind_in_1900_and_recent_ones(patient)

    chart_data = chart_on_dashboard(patient_client, name)
    assert len(chart_data.rows) <= CAP, (name, len(chart_data.rows))
    response = patient_client.get(f"/charts/{name}.svg?range=all")
    assert response.status_code == 200
    assert len(response.content) < MAX_SVG_BYTES


def test_a_long_volume_chart_is_yearly_average_weeks(patient_client, patient):
    a_record_of_every_kind_in_1900_and_recent_ones(patient)

    period, years = series.weekly_volume(patient, start=None, today=TODAY)

    assert period is periods.YEAR
    # The prescription runs from 1900, so no year is empty: one bar a year, this one so far.
    assert len(years) == TODAY.year - 1900 + 1 <= CAP
    assert years[0].week_start == LONG_AGO
    assert [year.so_far for year in years] == [False] * (len(years) - 1) + [True]
    # 1900: one session of 3 x 12 on the left in 365 days, i.e. 36 / 52.1 a week.
    assert (years[0].left, years[0].right) == (round(36 * 7 / 365), 0)
    assert years[0].prescribed_left == years[0].prescribed_right == 3 * 15 * 4  # all year long
    assert years[0].stretch_left == round(1.5 * 7 / 365, 1)
    assert years[0].load_left == round(3 * 12 * 5 * 7 / 365, 1)


def test_a_girth_site_with_many_measurements_is_drawn_as_means(patient_client, patient):
    """More than CHART_MAX_POINTS measurements at a site: one mean per week (within two years)."""
    start = TODAY - datetime.timedelta(days=199)
    for offset in range(200):
        GirthMeasurementFactory(
            patient=patient, date=start + datetime.timedelta(days=offset),
            left_1=Decimal("30.0") + Decimal(offset % 2), right_1=Decimal("36.0"),
        )

    period, points = series.girth_series(patient, site="tt10", start=None)

    assert period is periods.WEEK
    assert len(points) <= 30
    assert all(point.date.weekday() == 0 for point in points)
    assert {point.right_cm for point in points} == {36.0}
    assert all(30.4 <= point.left_cm <= 30.6 for point in points[1:-1])  # the mean of 30 and 31

    girth = chart_on_dashboard(patient_client, "girth")
    assert girth.columns[0] == "Week starting"
    assert len(girth.rows) == len(points)
    assert f"({len(points)} weekly means)" in girth.summary
    symmetry = chart_on_dashboard(patient_client, "symmetry")
    assert len(symmetry.rows) == len(points)


def test_a_few_measurements_stay_one_point_each(patient):
    GirthMeasurementFactory(patient=patient, date=LONG_AGO)
    GirthMeasurementFactory(patient=patient, date=TODAY)
    period, points = series.girth_series(patient, site="tt10", start=None)
    assert period is periods.DAY
    assert [point.date for point in points] == [LONG_AGO, TODAY]


def test_three_years_of_training_are_monthly_average_weeks(patient):
    first = TODAY - datetime.timedelta(days=3 * 365)
    day = first
    while day < TODAY:  # one session of 3 x 10 a week, on the left leg
        session = ExerciseSessionFactory(patient=patient, performed_at=at_noon(day))
        ExerciseEntryFactory(session=session, side="left", sets=3, reps=10)
        day += datetime.timedelta(days=7)
    PrescriptionFactory(patient=patient, start_date=first, side="left", sets=3, reps=10, times_per_week=1)

    period, months = series.weekly_volume(patient, start=None, today=TODAY)

    assert period is periods.MONTH
    assert 36 <= len(months) <= 38
    assert all(month.week_start.day == 1 for month in months)
    full_months = months[1:-1]
    # 30 a week on average (4 or 5 sessions of 30 in a month of 28 to 31 days), as prescribed.
    assert all(27 <= month.left <= 38 for month in full_months), [(m.week_start, m.left) for m in months]
    assert 29 <= sum(month.left for month in full_months) / len(full_months) <= 31
    assert all(month.right == 0 for month in months)
    assert all(month.prescribed_left == 30 for month in full_months)
    assert all(month.prescribed_right is None for month in months)  # the left leg's prescription only


def test_the_adherence_of_a_programme_from_1900_is_yearly(patient_client, patient):
    PrescriptionFactory(patient=patient, start_date=LONG_AGO, times_per_week=3)
    period, years = series.weekly_adherence(patient, start=None, today=TODAY)
    assert period is periods.YEAR
    assert years[0].week_start == LONG_AGO
    assert years[0].expected == round(365 * 3 / 7)
    assert len(years) == TODAY.year - 1900 + 1 <= CAP
    assert years[-1].so_far

    adherence = chart_on_dashboard(patient_client, "adherence")
    assert adherence.columns[0] == "Year"
    assert adherence.rows[0][:2] == ["1900", "0 of 156 sessions"]
    assert adherence.summary.startswith("Yearly adherence to the programme over ")


def test_short_ranges_keep_their_weeks_and_days(patient):
    a_record_of_every_kind_in_1900_and_recent_ones(patient)
    four_weeks, a_year = TODAY - datetime.timedelta(days=28), TODAY - datetime.timedelta(days=365)
    assert series.pain_series(patient, start=four_weeks, today=TODAY)[0] is periods.DAY
    assert series.pain_series(patient, start=a_year, today=TODAY)[0] is periods.WEEK
    assert series.weekly_volume(patient, start=a_year, today=TODAY)[0] is periods.WEEK
    assert series.weekly_adherence(patient, start=a_year, today=TODAY)[0] is periods.WEEK


def test_the_pain_summary_says_on_how_many_days_and_between_which_dates(patient):
    """It read "Pain over 3 days" for a 4-week chart: the number of days with a record, not the span."""
    from tracker.charts.data import ChartOptions, build

    days = [TODAY - datetime.timedelta(days=n) for n in (20, 9, 2)]
    for day in days:
        SymptomLogFactory(patient=patient, date=day, pain_next_morning=3)
    pain = build("pain", patient, patient.profile, ChartOptions(range_key="4w"), TODAY)
    first, last = (f"{day.day} {day:%b %Y}" for day in (days[0], days[-1]))
    assert pain.summary.startswith(f"Pain logged on 3 days, {first} to {last}: ")
    yearly = build("pain", patient, patient.profile, ChartOptions(range_key="1y"), TODAY)
    monday = metrics.week_start(days[0])
    week_of = f"the week of {monday.day} {monday:%b %Y} to the week of "
    assert yearly.summary.startswith(f"Pain over 3 weeks (weekly means), {week_of}")


def test_the_pain_table_writes_whole_numbers_for_a_day_and_means_to_a_tenth_for_a_week(patient):
    """A day's pain 7/10 and 1 night cramp read "7.0" and "1.0" in the table beside the chart."""
    from tracker.charts.data import ChartOptions, build

    last_monday = metrics.week_start(TODAY) - datetime.timedelta(weeks=1)
    tuesday, wednesday = (last_monday + datetime.timedelta(days=n) for n in (1, 2))  # one week
    session = ExerciseSessionFactory(
        patient=patient, pain_after=6,
        performed_at=timezone.make_aware(datetime.datetime.combine(wednesday, datetime.time(18))),
    )
    ExerciseEntryFactory(session=session, pain_during=7)
    SymptomLogFactory(patient=patient, date=tuesday, pain_next_morning=2, night_cramps=2)
    SymptomLogFactory(patient=patient, date=wednesday, pain_next_morning=3, night_cramps=1)
    daily = build("pain", patient, patient.profile, ChartOptions(range_key="4w"), TODAY)
    assert daily.rows[-1][1:] == ["7", "6", "3", "1"]
    weekly = build("pain", patient, patient.profile, ChartOptions(range_key="1y"), TODAY)
    assert weekly.rows[-1][1:] == ["7", "6", "2.5", "1.5"]


def test_a_left_right_pair_in_the_volume_table_stays_on_one_line(patient):
    """At 390 px "1,152 / 0" broke after the number, so a row read "1,152" and "/ 0" on two lines."""
    from tracker.charts.data import ChartOptions, build

    session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now())
    ExerciseEntryFactory(session=session, side="left", sets=4, reps=12, load_kg=24)
    [row] = build("volume", patient, patient.profile, ChartOptions(range_key="4w"), TODAY).rows[-1:]
    assert row[4] == "1,152\u00a0/\u00a00"  # load left / right (kg): 4 x 12 x 24


def test_the_girth_heel_rise_and_symmetry_summaries_read_as_sentences(patient):
    """They read "right 37.4 to 37.4 cm" and "(goal: less than 1 cm smaller (not reached yet))"."""
    from tracker.charts.data import ChartOptions, build

    for days, left, reps in ((20, "34.4", 14), (2, "35.5", 21)):
        day = TODAY - datetime.timedelta(days=days)
        GirthMeasurementFactory(patient=patient, date=day, left_1=Decimal(left), right_1=Decimal("37.4"))
        HeelRiseTestFactory(patient=patient, date=day, reps_left=reps, reps_right=27)
    options = ChartOptions(range_key="4w")
    girth = build("girth", patient, patient.profile, options, TODAY).summary
    heel = build("heel-rise", patient, patient.profile, options, TODAY).summary
    symmetry = build("symmetry", patient, patient.profile, options, TODAY).summary
    assert "left 34.4 to 35.5 cm, right 37.4 cm at the first and the last, from " in girth
    assert heel.startswith("Heel rises: left 14 to 21, right 27 at the first and the last (2 tests); ")
    assert symmetry == (
        "Symmetry, latest: girth: left calf 1.9 cm smaller, goal: less than 1 cm smaller (not reached "
        "yet); heel-rise LSI 51.9% to 77.8% (target 90% not reached yet)."
    )


@pytest.mark.parametrize(("first", "expected"), [
    (TODAY - datetime.timedelta(days=20), periods.WEEK),
    (TODAY - datetime.timedelta(days=metrics.CHART_WEEKLY_MAX_DAYS), periods.WEEK),
    (TODAY - datetime.timedelta(days=metrics.CHART_WEEKLY_MAX_DAYS + 30), periods.MONTH),
    (TODAY - datetime.timedelta(days=15 * 365), periods.QUARTER),
    (LONG_AGO, periods.YEAR),
])
def test_the_period_follows_the_span(first, expected):
    period = periods.period_for(first, TODAY)
    assert period is expected
    assert period.count(first, TODAY) <= CAP
    assert len(period.starts(first, TODAY)) == period.count(first, TODAY)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_query_count_does_not_grow_with_old_or_many_records(
    patient_client, patient, other_patient, client, name, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    recently = TODAY - datetime.timedelta(days=3)
    GirthMeasurementFactory(patient=patient, date=recently)
    session = ExerciseSessionFactory(patient=patient, performed_at=at_noon(recently))
    ExerciseEntryFactory(session=session)
    PrescriptionFactory(patient=patient)
    with CaptureQueriesContext(connection) as small:
        patient_client.get(f"/charts/{name}.svg?range=all")

    a_record_of_every_kind_in_1900_and_recent_ones(other_patient)
    for offset in range(20, CAP + 30):  # more measurements than points: means
        GirthMeasurementFactory(patient=other_patient, date=TODAY - datetime.timedelta(days=offset))
    client.force_login(other_patient)
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/charts/{name}.svg?range=all").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_yearly_chart_from_1900_is_readable(patient):
    """127 bars: no "0%" under each (they overlapped into a black band), year ticks on the axis,
    and an average week's fraction of a minute of stretching does not give ticks 0, 0, 0, 0."""
    a_record_of_every_kind_in_1900_and_recent_ones(patient)  # none of her sessions is prescribed: 0%
    years = series.weekly_adherence(patient, start=None, today=TODAY)[1]
    figure = training._adherence_figure(years, axis_label="Year (average week)")
    texts = [text.get_text() for text in figure.findobj(Text)]
    assert "0%" not in texts
    assert "Year (average week)" in texts
    FigureCanvasAgg(figure).draw()
    assert "1900" in [label.get_text() for label in figure.axes[0].get_xticklabels()]

    weeks = series.weekly_volume(patient, start=None, today=TODAY)[1]
    stretch = training._volume_figure(weeks).axes[-1]
    FigureCanvasAgg(stretch.figure).draw()
    ticks = [label.get_text() for label in stretch.get_yticklabels()]
    assert len(ticks) == len(set(ticks)), ticks
