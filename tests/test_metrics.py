"""Tests for tracker.metrics: worked examples from docs/clinical-rules.md."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import metrics as m

# --- Units and readings -------------------------------------------------------------------------


def test_cm_to_inches_is_not_rounded():
    assert m.cm_to_inches(2.54) == pytest.approx(1.0)
    assert m.cm_to_inches(35) == pytest.approx(13.779527559)


def test_inches_to_cm_rounds_to_one_decimal():
    assert m.inches_to_cm(14) == 35.6
    assert m.inches_to_cm(Decimal("13.5")) == 34.3


def test_mean_reading_ignores_missing_and_rounds():
    assert m.mean_reading([34.1, 34.3, None]) == 34.2
    assert m.mean_reading([34.0, 34.1, 34.1]) == 34.1  # 34.07: kept to 0.1 cm, as the readings are
    assert m.mean_reading([34.0, 34.1]) == 34.1  # 34.05: half away from zero
    assert m.mean_reading([None, None]) is None
    assert m.mean_reading([]) is None


def test_needs_remeasure_above_half_a_centimetre():
    assert m.needs_remeasure([34.0, 34.5]) is False
    assert m.needs_remeasure([31.7, 32.2]) is False  # float gives 0.50000...1
    assert m.needs_remeasure([34.0, 34.6]) is True
    assert m.needs_remeasure([34.6, None, 34.0]) is True
    assert m.needs_remeasure([34.0]) is False


# --- Symmetry -----------------------------------------------------------------------------------


def test_symmetry_affected_left_worked_example():
    result = m.symmetry(left=34.2, right=37.6, affected_side="left")
    assert result.lsi == 91.0
    assert result.difference == -3.4
    assert result.involved_side == "left"
    assert result.smaller_side == "left"
    assert m.classify_girth_difference(result.difference) == "marked"


def test_symmetry_affected_side_is_involved_even_when_larger():
    result = m.symmetry(left=34.2, right=37.6, affected_side="right")
    assert result.involved_side == "right"
    assert result.lsi == 109.9
    assert result.difference == 3.4
    assert result.smaller_side == "left"


@pytest.mark.parametrize("affected", ["both", "unknown"])
def test_symmetry_both_or_unknown_compares_smaller_to_larger(affected):
    result = m.symmetry(left=38.0, right=36.0, affected_side=affected)
    assert result.involved_side == "right"
    assert result.smaller_side == "right"
    assert result.lsi == 94.7
    assert result.difference == -2.0


def test_symmetry_equal_legs():
    result = m.symmetry(left=36.0, right=36.0, affected_side="both")
    assert result == m.Symmetry(lsi=100.0, difference=0.0, involved_side="left", smaller_side=None)


def test_symmetry_heel_rise_reps_and_zero_uninvolved():
    reps = m.symmetry(left=12, right=25, affected_side="left")
    assert reps.lsi == 48.0
    assert reps.difference == -13.0
    zero = m.symmetry(left=10, right=0, affected_side="left")
    assert zero.lsi is None
    assert zero.difference == 10.0


def test_symmetry_rejects_unknown_side():
    with pytest.raises(ValueError):
        m.symmetry(left=30, right=31, affected_side="middle")


@pytest.mark.parametrize(
    ("difference", "expected"),
    [
        (0.0, "normal"),
        (0.99, "normal"),
        (-0.99, "normal"),
        (1.0, "deficit"),
        (36.0 - 35.0, "deficit"),
        (2.0, "deficit"),
        (-2.0, "deficit"),
        (2.01, "marked"),
        (-3.4, "marked"),
    ],
)
def test_classify_girth_difference_boundaries(difference, expected):
    assert m.classify_girth_difference(difference) == expected
    assert expected in m.ASYMMETRY_LABELS


@pytest.mark.parametrize(
    ("lsi", "zone"),
    [(50.0, "red"), (79.9, "red"), (80, "amber"), (89.9, "amber"), (90, "green"), (110, "green")],
)
def test_lsi_zone_boundaries(lsi, zone):
    assert m.lsi_zone(lsi) == zone


def test_lsi_zone_is_fixed_not_the_default_target():
    assert m.DEFAULT_TARGET_LSI == 90.0
    assert m.lsi_zone(Decimal("85.0")) == "amber"


# --- Real change --------------------------------------------------------------------------------


def test_is_real_change_girth_one_centimetre():
    assert m.is_real_change(35.6 - 34.6, measure="girth") is True
    assert m.is_real_change(32.3 - 31.3, measure="girth") is True  # float gives 0.99999...
    assert m.is_real_change(-1.0, measure="girth") is True
    assert m.is_real_change(0.9, measure="girth") is False


def test_is_real_change_heel_rise_six_reps():
    assert m.is_real_change(5, measure="heel_rise") is False
    assert m.is_real_change(6, measure="heel_rise") is True
    assert m.is_real_change(-6, measure="heel_rise") is True


def test_is_real_change_pain_one_point_or_fifteen_percent():
    assert m.is_real_change(1, measure="pain") is True
    assert m.is_real_change(0.5, measure="pain", baseline=4) is False
    assert m.is_real_change(0.6, measure="pain", baseline=4) is True
    assert m.is_real_change(0.6, measure="pain") is False
    assert m.is_real_change(0.6, measure="pain", baseline=0) is False


def test_is_real_change_rejects_measures_without_a_rule():
    with pytest.raises(ValueError):
        m.is_real_change(5, measure="lsi")


# --- Swelling red flags ------------------------------------------------------------------------


def test_swelling_asymmetry_involved_side_larger_is_urgent():
    flags = m.swelling_flags(site="tt10", left_cm=40.0, right_cm=37.0, affected_side="left")
    assert [(f.code, f.level) for f in flags] == [("swelling_asymmetry", "urgent")]
    assert flags[0].message.startswith(m.SWELLING_MESSAGE)
    assert "left calf 3.0 cm larger than the right" in flags[0].message


def test_swelling_asymmetry_not_flagged_when_involved_side_is_smaller():
    assert m.swelling_flags(site="tt10", left_cm=40.0, right_cm=37.0, affected_side="right") == []


def test_swelling_asymmetry_exactly_three_cm_despite_float_error():
    flags = m.swelling_flags(site="tt10", left_cm=32.3, right_cm=29.3, affected_side="left")  # 2.99999...
    assert [f.code for f in flags] == ["swelling_asymmetry"]


def test_swelling_asymmetry_below_three_cm_not_flagged():
    assert m.swelling_flags(site="tt10", left_cm=39.9, right_cm=37.0, affected_side="left") == []


@pytest.mark.parametrize("affected", ["both", "unknown"])
def test_swelling_asymmetry_either_side_when_both_or_unknown(affected):
    flags = m.swelling_flags(site="tt10", left_cm=36.0, right_cm=39.5, affected_side=affected)
    assert [f.code for f in flags] == ["swelling_asymmetry"]
    assert "right calf 3.5 cm larger than the left" in flags[0].message


@pytest.mark.parametrize("site", ["tt10", "max"])
def test_swelling_asymmetry_applies_at_tt10_and_max(site):
    flags = m.swelling_flags(site=site, left_cm=41.0, right_cm=37.0, affected_side="left")
    assert [f.code for f in flags] == ["swelling_asymmetry"]


def test_swelling_asymmetry_never_at_tt15():
    """Wells' side-to-side rule is defined 10 cm below the tibial tuberosity (and at the maximal girth)."""
    assert m.swelling_flags(site="tt15", left_cm=41.0, right_cm=37.0, affected_side="left") == []


def test_swelling_rise_counts_at_tt15():
    flags = m.swelling_flags(
        site="tt15",
        left_cm=39.0,
        right_cm=37.0,
        affected_side="left",
        previous=(37.0, 37.0),
        days_since_previous=2,
    )
    assert [f.code for f in flags] == ["swelling_rise"]


def test_swelling_flags_refuse_an_unknown_site():
    with pytest.raises(ValueError):
        m.swelling_flags(site="knee", left_cm=40.0, right_cm=37.0, affected_side="left")


def test_swelling_rise_within_seven_days():
    flags = m.swelling_flags(
        site="tt10",
        left_cm=38.0,
        right_cm=37.0,
        affected_side="left",
        previous=(36.0, 37.0),
        days_since_previous=7,
    )
    assert [(f.code, f.level) for f in flags] == [("swelling_rise", "urgent")]
    assert flags[0].message.startswith(m.SWELLING_MESSAGE)
    assert "left calf grew 2.0 cm in 7 days" in flags[0].message


def test_swelling_rise_exactly_two_cm_despite_float_error_and_both_legs():
    flags = m.swelling_flags(
        site="tt10",
        left_cm=32.3,
        right_cm=33.0,
        affected_side="unknown",
        previous=(30.3, 30.5),
        days_since_previous=1,
    )
    assert [f.code for f in flags] == ["swelling_rise"]
    assert "left calf grew 2.0 cm and right calf grew 2.5 cm in 1 day" in flags[0].message


def test_swelling_rise_after_eight_days_not_flagged():
    flags = m.swelling_flags(
        site="tt10",
        left_cm=38.0,
        right_cm=37.0,
        affected_side="left",
        previous=(36.0, 37.0),
        days_since_previous=8,
    )
    assert flags == []


def test_swelling_rise_below_two_cm_not_flagged():
    flags = m.swelling_flags(
        site="tt10",
        left_cm=37.9,
        right_cm=37.0,
        affected_side="left",
        previous=(36.0, 37.0),
        days_since_previous=3,
    )
    assert flags == []


# --- The girth site shown first --------------------------------------------------------------------


def test_default_site_is_tt10_when_measured_there_at_all():
    assert m.default_site({"max": 9, "tt10": 1}) == "tt10"


def test_default_site_is_the_most_measured_without_tt10():
    assert m.default_site({"max": 2, "tt15": 5}) == "tt15"
    assert m.default_site({"max": 3, "tt15": 3}) == "max"  # alphabetical on a tie


def test_default_site_none_before_the_first_measurement():
    assert m.default_site({}) is None
    assert m.default_site({"tt10": 0}) is None


# --- Symptom red flags -------------------------------------------------------------------------


def test_symptom_flags_one_urgent_flag_per_ticked_symptom():
    flags = m.symptom_flags(["numbness", "dvt_signs"])
    assert [f.code for f in flags] == ["dvt_signs", "numbness"]
    assert all(f.level == "urgent" for f in flags)
    assert "Seek urgent medical care today" in flags[0].message
    assert "physiotherapist" in flags[0].message
    assert m.symptom_flags([]) == []


def test_only_an_urgent_flag_pauses_exercise():
    assert m.pauses_exercise(m.symptom_flags(["numbness"]))
    swelling = m.swelling_flags(site="tt10", left_cm=40.6, right_cm=37.5, affected_side="left")
    assert m.pauses_exercise(swelling)
    assert not m.pauses_exercise(m.pain_monitoring_breaches(pain_during_max=8, pain_after=8))
    assert not m.pauses_exercise([])


def test_symptom_flags_unknown_code_raises():
    with pytest.raises(ValueError):
        m.symptom_flags(["cramp"])


# --- Pain monitoring ----------------------------------------------------------------------------


def test_pain_during_and_after_above_five():
    assert m.pain_monitoring_breaches(pain_during_max=5, pain_after=5) == []
    flags = m.pain_monitoring_breaches(pain_during_max=6, pain_after=7)
    assert [(f.code, f.level) for f in flags] == [
        ("pain_during", "advice"),
        ("pain_after", "advice"),
    ]
    assert "Reduce the load" in flags[0].message
    assert "physiotherapist will see" in flags[0].message


def test_pain_advice_names_each_breach_and_gives_the_advice_once():
    flags = m.pain_monitoring_breaches(pain_during_max=6, pain_after=7, next_morning_pain=6)
    advice = m.pain_advice(flags)
    assert advice.startswith("Pain during exercise went above 5/10. Pain after exercise was above 5/10. ")
    assert "Pain had not settled by the next morning." in advice
    assert advice.count("Reduce the load") == 1
    assert advice.endswith(m.REDUCE_LOAD_ADVICE)
    assert m.pain_advice([]) == ""


def test_while_paused_the_pain_advice_is_for_when_she_starts_again():
    flags = m.pain_monitoring_breaches(pain_during_max=6, pain_after=7)
    advice = m.pain_advice(flags, paused=True)
    assert advice.endswith(m.RESUME_WITH_LESS_LOAD_ADVICE)
    assert "next session" not in advice and advice.count("reduce the load") == 1
    assert m.load_advice(paused=False) == m.REDUCE_LOAD_ADVICE


def test_rules_kept_counts_the_sessions_and_no_session_is_not_a_rule_kept():
    assert m.pain_rules_kept(3) == (
        "Pain-monitoring rules kept in the last 7 days (3 sessions): "
        "at most 5/10, settling by the next morning."
    )
    assert "(1 session)" in m.pain_rules_kept(1)
    assert m.pain_rules_kept(0) == (
        "No sessions in the last 7 days, so no pain during or after exercise to check."
    )


def test_pain_not_settled_by_next_morning():
    breached = m.pain_monitoring_breaches(pain_before=2, next_morning_pain=3)
    assert [f.code for f in breached] == ["not_settled"]
    assert m.pain_monitoring_breaches(pain_before=2, next_morning_pain=2) == []


def test_pain_not_settled_without_before_uses_acceptable_max():
    assert m.pain_monitoring_breaches(next_morning_pain=5) == []
    assert [f.code for f in m.pain_monitoring_breaches(next_morning_pain=6)] == ["not_settled"]


def test_pain_weekly_rise_must_be_important_and_upward():
    rise = m.pain_monitoring_breaches(weekly_mean_pain=(3.0, 4.0))
    assert [f.code for f in rise] == ["weekly_rise"]
    # "this week" means Monday to Sunday elsewhere on the page: the rule says which 7 days it compares
    assert rise[0].finding == (
        "Average pain at rest: 4.0 in the last 7 days, up from 3.0 in the 7 days before."
    )
    assert m.pain_monitoring_breaches(weekly_mean_pain=(4.0, 4.5)) == []
    assert [f.code for f in m.pain_monitoring_breaches(weekly_mean_pain=(4.0, 4.6))] == ["weekly_rise"]
    assert m.pain_monitoring_breaches(weekly_mean_pain=(4.0, 2.0)) == []


# --- Worsening atrophy ---------------------------------------------------------------------------


def test_worsening_atrophy_despite_adherence_flags_review():
    flag = m.worsening_atrophy_flag(
        lsi_then=94.0,
        lsi_now=91.0,
        difference_then=-2.2,
        difference_now=-3.2,
        adherence_percent=70,
    )
    assert flag is not None
    assert (flag.code, flag.level) == ("worsening_atrophy", "review")
    assert "doctor" in flag.message


def test_worsening_atrophy_exactly_one_centimetre_counts_despite_float_error():
    flag = m.worsening_atrophy_flag(
        lsi_then=96.0,
        lsi_now=93.2,
        difference_then=-1.3,
        difference_now=-2.3,  # 0.99999...
        adherence_percent=85,
    )
    assert flag is not None
    assert flag.code == "worsening_atrophy"


def test_worsening_atrophy_not_flagged_within_error_or_low_adherence():
    assert (
        m.worsening_atrophy_flag(
            lsi_then=94.0,
            lsi_now=92.0,
            difference_then=-2.2,
            difference_now=-3.1,
            adherence_percent=90,
        )
        is None
    )
    assert (
        m.worsening_atrophy_flag(
            lsi_then=94.0,
            lsi_now=91.0,
            difference_then=-2.2,
            difference_now=-3.2,
            adherence_percent=69.9,
        )
        is None
    )
    assert (
        m.worsening_atrophy_flag(
            lsi_then=94.0,
            lsi_now=95.0,
            difference_then=-2.2,
            difference_now=-3.4,
            adherence_percent=90,
        )
        is None
    )


# --- Heel-rise norms ---------------------------------------------------------------------------


def test_heel_rise_norm_by_sex():
    assert m.heel_rise_norm("M") == 24
    assert m.heel_rise_norm("F") == 21
    assert m.heel_rise_norm(None) == 28
    assert m.heel_rise_norm("X") == 28


# --- Volume and adherence ----------------------------------------------------------------------


def test_training_volume():
    assert m.training_volume(sets=3, reps=15, load_kg=10) == (45, 450.0)
    assert m.training_volume(sets=3, reps=12) == (36, 0.0)
    assert m.training_volume(sets=3, reps=None, load_kg=10) == (0, 0.0)
    assert m.training_volume(sets=4, reps=6, load_kg=Decimal("12.5")) == (24, 300.0)


def test_side_shares_both_counts_for_each_leg():
    assert m.side_shares("left") == ("left",)
    assert m.side_shares("right") == ("right",)
    assert m.side_shares("both") == ("left", "right")
    with pytest.raises(ValueError):
        m.side_shares("unknown")


def test_expected_sessions_single_prescription_two_weeks():
    rx = [(3, date(2025, 1, 1), None)]
    expected = m.expected_sessions(prescriptions=rx, start=date(2025, 3, 3), end=date(2025, 3, 16))
    assert expected == 6.0


def test_expected_sessions_overlapping_prescriptions_take_the_max_per_day():
    rx = [(3, date(2025, 1, 1), None), (7, date(2025, 1, 1), None)]
    expected = m.expected_sessions(prescriptions=rx, start=date(2025, 3, 3), end=date(2025, 3, 9))
    assert expected == 7.0


def test_expected_sessions_counts_only_active_days():
    starts_mid_window = [(7, date(2025, 3, 10), None)]
    window = {"start": date(2025, 3, 3), "end": date(2025, 3, 16)}
    assert m.expected_sessions(prescriptions=starts_mid_window, **window) == 7.0
    ended = [(7, date(2025, 1, 1), date(2025, 3, 5))]  # end date inclusive: 3 days
    assert m.expected_sessions(prescriptions=ended, **window) == 3.0
    assert m.expected_sessions(prescriptions=[], **window) == 0.0


def test_adherence_percent_capped_and_none_without_expectation():
    assert m.adherence_percent(sessions_done=4, sessions_expected=6.0) == 66.7
    assert m.adherence_percent(sessions_done=9, sessions_expected=6.0) == 100.0
    assert m.adherence_percent(sessions_done=3, sessions_expected=0) is None


def test_week_start_is_monday():
    assert m.week_start(date(2025, 3, 9)) == date(2025, 3, 3)  # Sunday
    assert m.week_start(date(2025, 3, 3)) == date(2025, 3, 3)  # Monday
    assert m.week_start(date(2025, 1, 1)) == date(2024, 12, 30)  # across a year boundary


def test_a_week_is_unfinished_until_its_sunday_is_over():
    week_end = date(2025, 3, 9)  # a Sunday
    assert m.unfinished(end=week_end, today=date(2025, 3, 5))
    assert m.unfinished(end=week_end, today=week_end)  # she can still log a session today
    assert not m.unfinished(end=week_end, today=date(2025, 3, 10))


# --- heel-rise decline and quiet patients (the physio's triage) -------------------------------------------


def test_heel_rise_decline_needs_a_lower_lsi_and_a_real_loss_on_the_involved_leg():
    decline = m.heel_rise_decline(then=(20, 27), now=(14, 27), affected_side="left")
    assert (decline.lsi_then, decline.lsi_now, decline.points) == (74.1, 51.9, 22.2)
    assert (decline.involved_side, decline.reps_then, decline.reps_now) == ("left", 20, 14)


@pytest.mark.parametrize(
    ("then", "now", "side"),
    [
        ((20, 27), (15, 27), "left"),  # 5 fewer rises: within the test's error (6)
        ((20, 24), (20, 30), "left"),  # the other leg got stronger
        ((14, 27), (20, 27), "left"),  # better
        ((27, 20), (27, 14), "left"),  # the uninvolved leg lost rises: the LSI rose
        ((0, 0), (0, 10), "left"),  # no LSI before
    ],
)
def test_no_heel_rise_decline(then, now, side):
    assert m.heel_rise_decline(then=then, now=now, affected_side=side) is None


def test_heel_rise_decline_exactly_six_rises_counts_and_both_sides_uses_the_weaker_leg():
    assert m.heel_rise_decline(then=(27, 22), now=(27, 16), affected_side="right").points == 22.2
    decline = m.heel_rise_decline(then=(25, 22), now=(26, 15), affected_side="both")
    assert (decline.involved_side, decline.reps_then, decline.reps_now) == ("right", 22, 15)


@pytest.mark.parametrize(("days", "expected"), [(0, None), (6, None), (7, 7), (30, 30)])
def test_days_without_log(days, expected):
    today = date(2025, 3, 31)
    assert m.days_without_log(today - timedelta(days=days), today) == expected
    assert m.days_without_log(None, today) is None
# --- The one girth verdict (cm) and the heel-rise verdict (LSI) ------------------------------------


@pytest.mark.parametrize(
    ("difference", "asymmetry", "goal_reached"),
    [
        (0.0, "normal", True),
        (-0.9, "normal", True),
        (-0.99, "normal", True),
        (-1.0, "deficit", False),  # 1.0 cm smaller is no longer within normal asymmetry
        (-1.9, "deficit", False),  # the demo patient: LSI 94.9%, still a meaningful deficit
        (-2.0, "deficit", False),
        (-2.01, "marked", False),
        (-3.5, "marked", False),  # LSI 90.6%: "reached" by a percentage, a marked deficit in cm
        (Decimal("-1.00"), "deficit", False),
    ],
)
def test_girth_verdict_judges_how_much_smaller_the_involved_calf_is(difference, asymmetry, goal_reached):
    verdict = m.girth_verdict(difference)
    assert (verdict.asymmetry, verdict.goal_reached) == (asymmetry, goal_reached)
    assert verdict.deficit_cm == abs(float(difference)) and verdict.larger_cm == 0.0
    assert verdict.label == m.ASYMMETRY_LABELS[asymmetry]


@pytest.mark.parametrize("larger", [0.4, 1.0, 2.5, 3.5])
def test_a_larger_involved_calf_is_no_deficit_and_not_called_normal_from_1_cm(larger):
    verdict = m.girth_verdict(larger)
    assert verdict.asymmetry == "normal" and verdict.goal_reached is True
    assert verdict.deficit_cm == 0.0 and verdict.larger_cm == larger
    if larger >= 1.0:
        assert verdict.label == m.GIRTH_LARGER_LABEL  # swelling is the red-flag rules' business
    else:
        assert verdict.label == m.ASYMMETRY_LABELS["normal"]


def test_girth_verdict_never_uses_the_lsi():
    """A 90% LSI on a 37 cm calf is 3.7 cm: a marked deficit (clinical rules, Symmetry)."""
    symmetry = m.symmetry(left=33.3, right=37.0, affected_side="left")
    assert symmetry.lsi == 90.0
    assert m.girth_verdict(symmetry.difference).asymmetry == "marked"


@pytest.mark.parametrize(
    ("lsi", "target", "reached", "zone"),
    [
        (77.8, 90, False, "red"),
        (89.9, 90, False, "amber"),
        (90.0, 90, True, "green"),
        (85.0, 85, True, "amber"),
        (None, 90, False, None),
    ],
)
def test_heel_rise_verdict(lsi, target, reached, zone):
    verdict = m.heel_rise_verdict(lsi, target)
    assert (verdict.target_reached, verdict.zone, verdict.target_lsi) == (reached, zone, float(target))
    assert m.heel_rise_verdict(95.0).target_lsi == m.DEFAULT_TARGET_LSI


@pytest.mark.parametrize(("sevenths", "whole"), [(0, 0), (3, 0), (4, 1), (10, 1), (11, 2), (56, 8), (60, 9)])
def test_whole_sessions_round_half_up(sevenths, whole):
    assert m.whole_sessions(sevenths) == whole


@settings(max_examples=300, deadline=None)
@given(
    rules=st.lists(
        st.tuples(
            st.integers(1, 7),
            st.dates(date(2025, 1, 1), date(2025, 6, 30)),
            st.one_of(st.none(), st.integers(0, 120)),
        ),
        max_size=4,
    ),
    start=st.dates(date(2025, 1, 1), date(2025, 6, 30)),
    days=st.integers(0, 200),
)
def test_expected_sessions_equal_the_day_by_day_sum(rules, start, days):
    """Counted by stretches between prescription changes, the same as asking each day in turn."""
    prescriptions = [
        (times, begin, None if length is None else begin + timedelta(days=length))
        for times, begin, length in rules
    ]
    end = start + timedelta(days=days)
    by_day = sum(
        m.sessions_per_week_on(prescriptions, start + timedelta(days=n)) for n in range(days + 1)
    )
    assert m.expected_sessions(prescriptions=prescriptions, start=start, end=end) == m.whole_sessions(by_day)
