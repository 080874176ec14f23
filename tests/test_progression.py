"""The progression rules (tracker/progression.py), each with the worked cases of issue 15 and
docs/clinical-rules.md "Progression"."""

import datetime

import pytest

from tracker import metrics, progression
from tracker.programmes import HSR_STEPS, PROGRAMME_TEMPLATES
from tracker.progression import ExercisePain, SessionPain, Step

TODAY = datetime.date(2026, 5, 17)  # a Sunday
TUESDAY = datetime.date(2026, 5, 12)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def calm_fortnight(pain: int = 3) -> list[SessionPain]:
    """Three sessions a week for two weeks, pain at most `pain`, settled by the next morning."""
    return [SessionPain(day=days_ago(n), before=1, during=pain, after=pain - 1, next_morning=1)
            for n in (13, 11, 9, 6, 4, 2)]


HSR = [Step(number=n, start_week=s.start_week, dosage=f"{s.sets} × {s.amount}")
       for n, s in enumerate(HSR_STEPS, start=1)]


# --- the pain-monitoring model over two weeks ---------------------------------------------------


def test_pain_kept_for_two_weeks_names_the_worst_pain_and_the_morning():
    verdict = progression.pain_verdict(calm_fortnight(3), today=TODAY)
    assert verdict.kept and verdict.both_weeks and verdict.settled
    assert verdict.worst == 3
    assert progression.kept_words(verdict) == (
        "Your pain during and after exercise stayed at 3/10 or less and settled by the next morning "
        "for 2 weeks"
    )


def test_pain_after_above_five_on_tuesday_breaks_the_rule_with_its_day():
    sessions = calm_fortnight() + [SessionPain(day=TUESDAY, before=1, during=4, after=6, next_morning=1)]
    verdict = progression.pain_verdict(sessions, today=TODAY)
    assert not verdict.kept
    assert verdict.breach == "Pain after exercise was 6/10 on Tuesday 12 May"


def test_pain_during_above_five_breaks_the_rule():
    sessions = calm_fortnight() + [SessionPain(day=days_ago(1), during=6)]
    assert progression.pain_verdict(sessions, today=TODAY).breach == (
        "Pain during exercise was 6/10 on Saturday 16 May"
    )


def test_exactly_five_is_acceptable():
    sessions = [SessionPain(day=days_ago(n), during=5, after=5) for n in (10, 3)]
    assert progression.pain_verdict(sessions, today=TODAY).kept


def test_pain_not_settled_by_the_next_morning_breaks_the_rule():
    sessions = calm_fortnight() + [SessionPain(day=TUESDAY, before=2, during=3, after=3, next_morning=4)]
    verdict = progression.pain_verdict(sessions, today=TODAY)
    assert verdict.breach == "Pain the morning after your session on Tuesday 12 May was 4/10, 2/10 before it"


def test_pain_rising_from_week_to_week_breaks_the_rule():
    sessions = [SessionPain(day=days_ago(n), during=1, after=1) for n in (12, 10)]
    sessions += [SessionPain(day=days_ago(n), during=3, after=3) for n in (5, 3)]
    verdict = progression.pain_verdict(sessions, today=TODAY)
    assert verdict.breach == (
        "Your pain during and after exercise averaged 3.0 out of 10 in the last 7 days, up from 1.0 in the "
        "7 days before"
    )


def test_a_breach_older_than_two_weeks_no_longer_counts():
    sessions = calm_fortnight() + [SessionPain(day=days_ago(14), after=8)]
    assert progression.pain_verdict(sessions, today=TODAY).kept


def test_too_little_pain_logged_is_not_enough_to_move_on():
    verdict = progression.pain_verdict([SessionPain(day=days_ago(2), during=2)], today=TODAY)
    assert not verdict.enough_data and not verdict.kept
    nothing_recent = [SessionPain(day=days_ago(n), during=2) for n in (12, 10)]
    assert not progression.pain_verdict(nothing_recent, today=TODAY).enough_data


def test_one_week_of_pain_is_enough_for_the_second_week_and_says_so():
    verdict = progression.pain_verdict([SessionPain(day=days_ago(n), during=2) for n in (5, 3)], today=TODAY)
    assert verdict.kept and not verdict.both_weeks and not verdict.settled
    assert progression.kept_words(verdict) == (
        "Your pain during and after exercise stayed at 2/10 or less this past week"
    )


# --- the heavy slow resistance schedule --------------------------------------------------------


def test_hsr_steps_are_beyers_weeks():
    assert [(s.start_week, s.sets, s.amount) for s in HSR_STEPS] == [
        (1, 3, 15), (2, 3, 12), (4, 4, 10), (6, 4, 8), (9, 4, 6)
    ]
    assert PROGRAMME_TEMPLATES["hsr"].times_per_week == 3


@pytest.mark.parametrize(("days_in", "step"), [(0, 1), (6, 1), (7, 2), (20, 2), (21, 3), (35, 4), (56, 5),
                                                 (83, 5)])
def test_the_schedule_alone_puts_her_on_the_step_of_her_week(days_in, step):
    start = TODAY - datetime.timedelta(days=days_in)
    assert progression.scheduled_step(HSR, start=start, today=TODAY).number == step


def test_kept_pain_in_week_three_moves_her_to_four_by_ten_next_week():
    start = TODAY - datetime.timedelta(days=20)  # today is in week 3: 3 x 12
    verdict = progression.pain_verdict(calm_fortnight(3), today=TODAY)
    proposal = progression.next_step(steps=HSR, current=2, start=start, today=TODAY, pain=verdict,
                                     mode=progression.AUTO)
    assert proposal.action == "advance" and not proposal.due
    assert proposal.starts_on == TODAY + datetime.timedelta(days=1)
    assert proposal.reason == (
        "Your pain during and after exercise stayed at 3/10 or less and settled by the next morning "
        "for 2 weeks: your physio's plan moves you to 4 × 10 next week."
    )


def test_in_approval_mode_the_step_waits_for_the_physio():
    start = TODAY - datetime.timedelta(days=21)  # week 4 has come
    verdict = progression.pain_verdict(calm_fortnight(3), today=TODAY)
    proposal = progression.next_step(steps=HSR, current=2, start=start, today=TODAY, pain=verdict,
                                     mode=progression.APPROVAL)
    assert proposal.due and proposal.needs_approval
    assert proposal.reason.endswith("moves you to 4 × 10 now, once your physiotherapist has approved it.")


def test_a_broken_rule_keeps_the_step_and_says_why():
    start = TODAY - datetime.timedelta(days=21)
    sessions = calm_fortnight() + [SessionPain(day=TUESDAY, before=1, during=4, after=6, next_morning=1)]
    proposal = progression.next_step(
        steps=HSR, current=2, start=start, today=TODAY,
        pain=progression.pain_verdict(sessions, today=TODAY), mode=progression.AUTO,
    )
    assert proposal.action == "reduce" and proposal.due
    assert proposal.reason == (
        "Pain after exercise was 6/10 on Tuesday 12 May: keep the load, or reduce it (fewer sets, less "
        "weight or a rest day). Your physiotherapist will see this."
    )


def test_the_last_step_says_the_physio_decides_what_comes_next():
    proposal = progression.next_step(
        steps=HSR, current=5, start=days_ago(80), today=TODAY,
        pain=progression.pain_verdict(calm_fortnight(), today=TODAY), mode=progression.AUTO,
    )
    assert proposal.action == "last" and "your physiotherapist will tell you" in proposal.reason


def test_fixed_dosage_or_no_steps_proposes_nothing():
    pain = progression.pain_verdict(calm_fortnight(), today=TODAY)
    assert progression.next_step(steps=HSR, current=1, start=TODAY, today=TODAY, pain=pain,
                                 mode=progression.FIXED).action == "none"
    assert progression.next_step(steps=[], current=None, start=TODAY, today=TODAY, pain=pain,
                                 mode=progression.AUTO).action == "none"


def test_without_enough_pain_logged_the_plan_asks_her_to_log_it():
    proposal = progression.next_step(
        steps=HSR, current=1, start=days_ago(8), today=TODAY,
        pain=progression.pain_verdict([], today=TODAY), mode=progression.AUTO,
    )
    assert proposal.action == "hold"
    assert proposal.reason.startswith("Log your pain with every session")


# --- Alfredson: 3 x 15 twice daily for 12 weeks, 5 kg more when easy and pain-free --------------


def test_alfredson_is_three_by_fifteen_twice_daily_for_twelve_weeks_with_5_kg_load_steps():
    template = PROGRAMME_TEMPLATES["alfredson"]
    assert (template.weeks, template.times_per_week, template.adds_load) == (12, 14, True)
    assert {(e.sets, e.amount) for e in template.exercises} == {(3, 15)}
    assert metrics.LOAD_STEP_KG == 5


def pain_free(effort=3):
    return [ExercisePain(day=days_ago(n), pain_during=0, effort=effort) for n in (12, 9, 5, 2)]


def test_pain_free_and_easy_for_two_weeks_adds_five_kilograms():
    proposal = progression.load_proposal(pain_free(), load_kg=0, step_kg=5, today=TODAY,
                                         mode=progression.AUTO)
    assert proposal.action == "advance" and proposal.due
    assert proposal.reason == (
        "It was pain-free (0/10) and felt easy for 2 weeks: your physio's plan adds 5 kg (a backpack), "
        "5 kg in all."
    )


def test_any_pain_or_a_hard_effort_or_a_recent_step_adds_no_load():
    hurts = pain_free() + [ExercisePain(day=days_ago(1), pain_during=2)]
    assert progression.load_proposal(hurts, load_kg=0, step_kg=5, today=TODAY, mode=progression.AUTO) is None
    assert progression.load_proposal(pain_free(effort=7), load_kg=0, step_kg=5, today=TODAY,
                                     mode=progression.AUTO) is None
    assert progression.load_proposal(pain_free(), load_kg=5, step_kg=5, today=TODAY, mode=progression.AUTO,
                                     last_change=days_ago(10)) is None
    assert progression.load_proposal(pain_free(), load_kg=0, step_kg=0, today=TODAY,
                                     mode=progression.AUTO) is None


# --- due and done today --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_week", "today", "week", "expected"),
    [
        (14, 0, 0, (2, "due")),  # Alfredson: twice a day
        (14, 1, 5, (2, "partly")),
        (14, 2, 6, (2, "done")),
        (7, 0, 3, (1, "due")),
        (7, 1, 4, (1, "done")),
        (3, 0, 2, (1, "due")),  # 2 of 3 done this week: one more is due
        (3, 0, 3, (0, "rest")),  # 3 of 3 done: a rest day
        (3, 1, 3, (1, "done")),  # the third one was today
    ],
)
def test_today_status(per_week, today, week, expected):
    status = progression.today_status(times_per_week=per_week, done_today=today, done_this_week=week)
    assert (status.due, status.state) == expected


@pytest.mark.parametrize(
    ("per_week", "today", "week", "expected"),
    [
        (14, 0, 0, (0, "paused")),  # would be due twice
        (3, 0, 2, (0, "paused")),  # would be due once
        (3, 0, 3, (0, "paused")),  # a rest day says the same: nothing is asked of her
        (14, 1, 5, (0, "done")),  # what she did today stays done
    ],
)
def test_an_urgent_warning_sign_pauses_what_is_due_today(per_week, today, week, expected):
    status = progression.today_status(
        times_per_week=per_week, done_today=today, done_this_week=week, paused=True
    )
    assert (status.due, status.state) == expected


def test_while_paused_the_plan_holds_its_step_whatever_the_pain_says():
    start = TODAY - datetime.timedelta(days=21)  # week 4 has come and the pain rules were kept
    verdict = progression.pain_verdict(calm_fortnight(3), today=TODAY)
    kept = progression.next_step(steps=HSR, current=2, start=start, today=TODAY, pain=verdict,
                                 mode=progression.AUTO)
    paused = progression.next_step(steps=HSR, current=2, start=start, today=TODAY, pain=verdict,
                                   mode=progression.AUTO, paused=True)
    assert kept.action == "advance"
    assert paused.action == "hold" and paused.step == kept.step
    assert paused.reason == progression.PAUSED_PLAN
