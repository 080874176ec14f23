"""The caseload's SQL gives the verdicts of `progress_summary` (the dashboard's), rule by rule.

Each scenario is one patient; the caseload row and her summary must agree on every rule, so the
physio's list can never say something her dashboard does not.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PhysioFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tracker.models import PatientProfile
from tracker.selectors import caseload
from tracker.selectors.summary import progress_summary

DROP = "eccentric-heel-drop-straight"


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def moment(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def girth(patient, days: int, left: str, right: str, site: str = "tt10"):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(days), site=site, left_1=Decimal(left), right_1=Decimal(right)
    )


def session(patient, days: int, *, slug: str = DROP, pain_during=None, pain_after=None):
    logged = ExerciseSessionFactory(patient=patient, performed_at=moment(days), pain_after=pain_after)
    ExerciseEntryFactory(session=logged, exercise=exercise(slug), pain_during=pain_during)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="parity_physio")


def patient_of(physio, side: str = "left"):
    patient = PatientFactory()
    PatientProfile.objects.filter(user=patient).update(physio=physio, affected_side=side)
    patient.profile.refresh_from_db()
    return patient


def row_of(patient, physio):
    profiles = PatientProfile.objects.filter(user=patient)
    row = caseload.annotate_caseload(profiles, reviewer=physio, today=today()).get()
    row.worsening = caseload.worsening_flags([row], today=today()).get(patient.pk)
    return row


def codes(summary) -> set[str]:
    return {flag.code for flag in summary.red_flags}


# --- girth: the site, the LSI and the 4-week change -------------------------------------------------

GIRTH_SCENARIOS = {
    "tt10 only": [("tt10", 40, "34.0", "37.5"), ("tt10", 2, "35.1", "37.4")],
    "tt10 first even when max is measured more": [
        ("max", 30, "36.0", "39.0"), ("max", 20, "36.2", "39.0"), ("max", 3, "36.5", "39.1"),
        ("tt10", 10, "34.0", "37.0"),
    ],
    "no tt10: the most measured site": [
        ("max", 30, "36.0", "39.0"), ("tt15", 20, "30.0", "31.0"), ("tt15", 2, "30.5", "31.0"),
    ],
    "no tt10, a tie: alphabetical": [("tt15", 9, "30.0", "31.0"), ("max", 3, "36.0", "39.0")],
    "no change window yet": [("tt10", 20, "34.0", "37.5"), ("tt10", 2, "35.0", "37.5")],
    "real change down": [
        ("tt10", 35, "35.5", "37.0"), ("tt10", 29, "35.4", "37.0"), ("tt10", 1, "34.3", "37.0"),
    ],
}


@pytest.mark.parametrize("rows", GIRTH_SCENARIOS.values(), ids=GIRTH_SCENARIOS.keys())
@pytest.mark.parametrize("side", ["left", "both"])
def test_girth_site_lsi_and_change(physio, rows, side):
    patient = patient_of(physio, side)
    for site, days, left, right in rows:
        girth(patient, days, left, right, site=site)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.girth_site == summary.site
    assert row.girth_lsi == summary.girth.symmetry.lsi
    assert row.girth_goal_reached == summary.girth.goal_reached
    assert caseload.girth_verdict(row).asymmetry == summary.girth.asymmetry
    change = caseload.girth_change(row)
    if summary.girth.recent_change_cm is None:
        assert change is None
    else:
        assert (change.cm, change.real) == (summary.girth.recent_change_cm, summary.girth.recent_change_real)


def test_no_girth_yet(physio):
    patient = patient_of(physio)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.girth_site is None and summary.site is None
    assert row.girth_lsi is None and summary.girth is None
    assert row.girth_goal_reached is None and row.heel_target_reached is None


# --- girth goal (cm) -----------------------------------------------------------------------------------

GOAL_SCENARIOS = {
    # name: (affected side, left, right)
    "0.9 cm smaller": ("left", "36.6", "37.5"),
    "exactly 1.0 cm smaller": ("left", "36.5", "37.5"),
    "1.9 cm smaller, LSI 94.9%": ("left", "35.6", "37.5"),
    "3.5 cm smaller, LSI 90.6%": ("left", "34.0", "37.5"),
    "involved 1.5 cm larger": ("left", "39.0", "37.5"),
    "right involved, 1.2 cm smaller": ("right", "37.5", "36.3"),
    "both: smaller one 0.5 cm smaller": ("both", "37.0", "37.5"),
    "unknown: smaller one 2.5 cm smaller": ("unknown", "37.5", "35.0"),
}


@pytest.mark.parametrize("side, left, right", GOAL_SCENARIOS.values(), ids=GOAL_SCENARIOS.keys())
def test_girth_goal(physio, side, left, right):
    patient = patient_of(physio, side)
    girth(patient, 1, left, right)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.girth_goal_reached is summary.girth.goal_reached
    assert row.girth_deficit == pytest.approx(summary.girth.deficit_cm)
    goal_filter = PatientProfile.objects.filter(user=patient)
    annotated = caseload.annotate_caseload(goal_filter, reviewer=physio, today=today())
    assert annotated.filter(girth_goal_reached=False).exists() is (not summary.girth.goal_reached)


# --- heel-rise LSI -----------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["left", "right", "unknown"])
def test_heel_rise_lsi(physio, side):
    patient = patient_of(physio, side)
    HeelRiseTestFactory(patient=patient, date=days_ago(20), reps_left=10, reps_right=28)
    HeelRiseTestFactory(patient=patient, date=days_ago(2), reps_left=19, reps_right=26)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.heel_lsi == summary.heel_rise.symmetry.lsi
    assert row.heel_target_reached is summary.heel_rise.target_reached


@pytest.mark.parametrize(
    ("target", "left", "right"),
    [("90.0", 27, 30), ("90.0", 26, 30), ("80.0", 24, 30), ("85.5", 25, 30), ("90.0", 0, 0), ("90.0", 5, 0)],
)
def test_heel_rise_target(physio, target, left, right):
    patient = patient_of(physio, "left")
    PatientProfile.objects.filter(user=patient).update(target_lsi=Decimal(target))
    patient.profile.refresh_from_db()
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=left, reps_right=right)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.heel_target_reached is summary.heel_rise.target_reached
    assert summary.heel_rise.target_lsi == float(target)


# --- adherence over the last 14 days --------------------------------------------------------------------


def steady(patient):
    PrescriptionFactory(patient=patient, exercise=exercise(DROP), times_per_week=4, start_date=days_ago(60))


def started_in_the_window(patient):
    PrescriptionFactory(patient=patient, exercise=exercise(DROP), times_per_week=7, start_date=days_ago(5))


def ended_in_the_window(patient):
    PrescriptionFactory(
        patient=patient, exercise=exercise(DROP), times_per_week=3,
        start_date=days_ago(60), end_date=days_ago(6),
    )


def two_frequencies(patient):
    PrescriptionFactory(patient=patient, exercise=exercise(DROP), times_per_week=3, start_date=days_ago(60))
    PrescriptionFactory(
        patient=patient, exercise=exercise("soleus-stretch"), hold_seconds=30, reps=None,
        times_per_week=7, start_date=days_ago(9), end_date=days_ago(2),
    )


def inactive(patient):
    PrescriptionFactory(
        patient=patient, exercise=exercise(DROP), times_per_week=3, start_date=days_ago(60), active=False
    )


def nothing(patient):
    pass


@pytest.mark.parametrize(
    "programme", [steady, started_in_the_window, ended_in_the_window, two_frequencies, inactive, nothing]
)
def test_adherence(physio, programme):
    patient = patient_of(physio)
    programme(patient)
    for days in (0, 1, 3, 8, 12, 15):
        session(patient, days)
    session(patient, 2, slug="stationary-cycling")  # no prescribed exercise: not counted
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.adherence == summary.adherence.percent
    assert row.sessions_expected == summary.adherence.expected
    assert isinstance(row.sessions_expected, int)
    assert (row.adherence is None) == (programme in (inactive, nothing))


@pytest.mark.parametrize("per_week", [1, 2, 3, 5, 6, 7])
@pytest.mark.parametrize("started", [1, 3, 4, 6, 10, 13, 20])
def test_expected_sessions_are_rounded_alike(physio, per_week, started):
    """Whole sessions in SQL and in Python, for windows that end in every fraction of a session."""
    patient = patient_of(physio)
    PrescriptionFactory(
        patient=patient, exercise=exercise(DROP), times_per_week=per_week, start_date=days_ago(started)
    )
    session(patient, 0)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.sessions_expected == summary.adherence.expected
    assert (row.adherence, row.sessions_done) == (summary.adherence.percent, summary.adherence.done)


# --- open red flags -------------------------------------------------------------------------------------

SWELLING_SCENARIOS = {
    # name: (affected side, measurements, flagged)
    "tt10, involved 3 cm larger": ("left", [("tt10", 1, "40.0", "37.0")], True),
    "max, involved 4 cm larger": ("left", [("max", 1, "43.0", "39.0")], True),
    "tt15, involved 4 cm larger (never flagged)": ("left", [("tt15", 1, "35.0", "31.0")], False),
    "uninvolved larger": ("left", [("tt10", 1, "37.0", "40.5")], False),
    "side unknown, either calf": ("unknown", [("tt10", 1, "37.0", "40.5")], True),
    "grew 2 cm in 5 days at tt15": ("left", [("tt15", 6, "31.0", "31.0"), ("tt15", 1, "33.0", "31.0")], True),
    "grew 2 cm in 9 days": ("left", [("tt10", 10, "34.0", "37.0"), ("tt10", 1, "36.0", "37.0")], False),
    "rise across two sites": ("left", [("tt15", 5, "31.0", "31.0"), ("tt10", 1, "34.0", "34.0")], False),
    "older than the look-back": ("left", [("tt10", 20, "41.0", "37.0")], False),
    "swollen then settled": ("left", [("tt10", 6, "41.0", "37.0"), ("tt10", 1, "37.5", "37.0")], False),
}


@pytest.mark.parametrize("side, rows, flagged", SWELLING_SCENARIOS.values(), ids=SWELLING_SCENARIOS.keys())
def test_swelling(physio, side, rows, flagged):
    patient = patient_of(physio, side)
    for site, days, left, right in rows:
        girth(patient, days, left, right, site=site)
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.flag_swelling == bool(codes(summary) & {"swelling_asymmetry", "swelling_rise"}) == flagged


@pytest.mark.parametrize(("ticked_days_ago", "clean_today"), [(0, False), (1, True), (2, False), (3, False)])
def test_symptoms(physio, ticked_days_ago, clean_today):
    patient = patient_of(physio)
    SymptomLogFactory(patient=patient, date=days_ago(ticked_days_ago), flag_numbness=True)
    if clean_today and ticked_days_ago:
        SymptomLogFactory(patient=patient, date=today())
    row, summary = row_of(patient, physio), progress_summary(patient)
    assert row.flag_symptoms == ("numbness" in codes(summary)) == (ticked_days_ago <= 2)


@pytest.mark.parametrize(
    ("days", "during", "after"), [(1, 6, None), (6, None, 7), (7, 8, 8), (2, 5, 5), (0, None, None)]
)
def test_pain(physio, days, during, after):
    patient = patient_of(physio)
    session(patient, days, pain_during=during, pain_after=after)
    row, summary = row_of(patient, physio), progress_summary(patient)
    breaches = {flag.code for flag in summary.pain.breaches}
    over_the_limit = days < 7 and max(during or 0, after or 0) > 5
    assert row.flag_pain == bool(breaches & {"pain_during", "pain_after"}) == over_the_limit


# --- worsening atrophy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sessions_a_week", [0, 3])
@pytest.mark.parametrize("deficit_now", ["33.5", "34.6"])
def test_worsening_atrophy(physio, sessions_a_week, deficit_now):
    patient = patient_of(physio)
    PrescriptionFactory(patient=patient, exercise=exercise(DROP), times_per_week=3, start_date=days_ago(120))
    for week in range(14):
        for day in range(sessions_a_week):
            session(patient, week * 7 + day * 2 + 1)
    girth(patient, 100, "35.0", "37.0")
    girth(patient, 2, deficit_now, "37.0")
    row, summary = row_of(patient, physio), progress_summary(patient)
    worse_despite_exercise = sessions_a_week == 3 and deficit_now == "33.5"
    assert (row.worsening is not None) == ("worsening_atrophy" in codes(summary)) == worse_despite_exercise
