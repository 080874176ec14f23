"""The questionnaires' scoring, with worked examples (tracker.questionnaires, tracker.metrics)."""

import datetime

import pytest

from tracker import metrics
from tracker import questionnaires as q
from tracker.questionnaires import LEFS, VISA_A, answer_errors, answer_label, latest_due_date, score


def lefs(*values) -> dict:
    return {f"q{number}": value for number, value in enumerate(values, start=1)}


def visa_a(q1, q2, q3, q4, q5, q6, q7, q8) -> dict:
    return {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7, "q8": q8}


# --- LEFS ------------------------------------------------------------------------------------------


def test_lefs_has_twenty_activities_scored_0_to_4_and_a_range_of_0_to_80():
    assert len(LEFS.items) == 20
    for item in LEFS.items:
        assert [o.points for o in item.options] == [0, 1, 2, 3, 4]
    assert LEFS.score_range == metrics.LEFS_RANGE == (0, 80)
    assert LEFS.mcid == 9


def test_lefs_wording_is_the_published_form():
    assert LEFS.stem == "Today, do you or would you have any difficulty at all with:"
    assert LEFS.items[0].text == "Any of your usual work, housework, or school activities."
    assert LEFS.items[12].text == "Going up or down 10 stairs (about 1 flight of stairs)."
    assert LEFS.items[19].text == "Rolling over in bed."
    assert [o.label for o in LEFS.items[0].options] == [
        "Extreme Difficulty or Unable to Perform Activity",
        "Quite a Bit of Difficulty",
        "Moderate Difficulty",
        "A Little Bit of Difficulty",
        "No Difficulty",
    ]


def test_lefs_all_best_is_80_and_all_worst_is_0():
    assert score(LEFS, lefs(*[4] * 20)) == q.Score(80, ())
    assert score(LEFS, lefs(*[0] * 20)) == q.Score(0, ())


def test_lefs_worked_example_is_the_sum_of_the_twenty_answers():
    # 3+2+4+4+3+2+3+4+2+3 = 30 and 4+3+3+3+4+1+1+0+1+4 = 24
    answers = lefs(3, 2, 4, 4, 3, 2, 3, 4, 2, 3, 4, 3, 3, 3, 4, 1, 1, 0, 1, 4)
    assert score(LEFS, answers).total == 54


def test_lefs_with_one_activity_unanswered_has_no_total_and_says_which():
    answers = lefs(*[3] * 20)
    del answers["q7"]
    result = score(LEFS, answers)
    assert result.total is None
    assert result.missing == (7,)
    assert result.reason == (
        "Activity 7 was not answered, and the LEFS total needs an answer to every activity."
    )


def test_lefs_with_many_activities_unanswered_lists_them_all():
    answers = lefs(*[3] * 20)
    for number in (2, 9, 16, 17, 18):
        answers[f"q{number}"] = None  # None is unanswered too, never 0
    result = score(LEFS, answers)
    assert result.total is None
    assert result.missing == (2, 9, 16, 17, 18)
    assert "5 activities were not answered (2, 9, 16, 17, 18)" in result.reason


def test_an_empty_form_is_not_scored():
    assert score(LEFS, {}).missing == tuple(range(1, 21))
    assert score(VISA_A, {}).total is None


@pytest.mark.parametrize("value", [5, -1, "4", 4.0, True, [4], {"a": 1}])
def test_lefs_refuses_anything_but_its_five_answers(value):
    errors = answer_errors(LEFS, {"q1": value})
    assert list(errors) == ["q1"]
    assert "choose one of 0, 1, 2, 3, 4" in errors["q1"]


def test_unknown_items_are_refused_and_none_is_unanswered():
    assert answer_errors(LEFS, {"q21": 3, "q1": None}) == {"q21": "LEFS has no item 'q21'."}


# --- VISA-A ----------------------------------------------------------------------------------------


def test_visa_a_questions_1_to_7_score_up_to_10_and_question_8_up_to_30():
    maxima = [max(o.points for o in item.options) for item in VISA_A.items]
    assert maxima == [10, 10, 10, 10, 10, 10, 10, 30]
    assert sum(maxima) == VISA_A.max_score == 100
    assert VISA_A.mcid == 15


def test_visa_a_all_best_is_100():
    assert score(VISA_A, visa_a(10, 10, 10, 10, 10, 10, 10, "A:over-30")) == q.Score(100, ())


def test_visa_a_all_worst_is_0():
    assert score(VISA_A, visa_a(0, 0, 0, 0, 0, 0, 0, "C:nil")).total == 0


@pytest.mark.parametrize(
    ("branch", "points"),
    [("A", [0, 7, 14, 21, 30]), ("B", [0, 4, 10, 14, 20]), ("C", [0, 2, 5, 7, 10])],
)
def test_visa_a_question_8_branches_score_as_published(branch, points):
    bands = ["nil", "1-10", "11-20", "21-30", "over-30"]
    for band, expected in zip(bands, points, strict=True):
        answers = visa_a(5, 5, 5, 5, 5, 5, 4, f"{branch}:{band}")
        assert score(VISA_A, answers).total == 34 + expected, (branch, band)


def test_visa_a_worked_example_with_pain_that_does_not_stop_training():
    # 6+5+7+8+6+4 = 36, modified training 4, Q8 B (some pain, completes it) 11-20 min = 10: 50
    assert score(VISA_A, visa_a(6, 5, 7, 8, 6, 4, 4, "B:11-20")).total == 50


def test_visa_a_worked_example_with_pain_that_stops_training():
    # 3+2+4+5+2+1 = 17, not at all 0, Q8 C 1-10 min = 2: 19
    assert score(VISA_A, visa_a(3, 2, 4, 5, 2, 1, 0, "C:1-10")).total == 19


def test_visa_a_without_question_8_has_no_total():
    answers = visa_a(6, 5, 7, 8, 6, 4, 4, None)
    result = score(VISA_A, answers)
    assert result.total is None
    assert result.reason == (
        "Question 8 was not answered, and the VISA-A total needs an answer to every question."
    )


def test_visa_a_with_too_many_unanswered_has_no_total():
    result = score(VISA_A, {"q1": 5, "q2": 6})
    assert result.total is None
    assert "6 questions were not answered (3, 4, 5, 6, 7, 8)" in result.reason


@pytest.mark.parametrize("value", ["D:nil", "A", "nil", 30, "a:nil"])
def test_visa_a_question_8_takes_one_of_its_fifteen_boxes_only(value):
    assert "q8" in answer_errors(VISA_A, {"q8": value})


def test_visa_a_question_7_takes_its_four_categories_only():
    assert answer_errors(VISA_A, {"q7": 7}) == {}
    assert "q7" in answer_errors(VISA_A, {"q7": 5})


def test_answer_labels_name_the_part_of_question_8():
    assert answer_label(VISA_A, "q8", "B:11-20") == "B: 11-20 mins"
    assert answer_label(LEFS, "q3", 2) == "Moderate Difficulty"
    assert answer_label(LEFS, "q3", None) == "Not answered"


def test_instrument_versions_are_checked():
    assert q.instrument("LEFS", "1") is LEFS
    with pytest.raises(ValueError):
        q.instrument("LEFS", "2")
    with pytest.raises(ValueError):
        q.instrument("KOOS")
    assert q.from_slug("visa-a") == "VISA-A" and q.from_slug("koos") is None


def test_meaning_is_one_line_on_the_instruments_scale():
    assert q.meaning(LEFS) == (
        "Out of 80: the higher the score, the less difficulty you have with everyday activities."
    )
    assert q.meaning(VISA_A).startswith("Out of 100: 100 means no symptoms; 90 or more")


# --- the clinically important change ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "earlier", "latest", "important", "direction"),
    [
        ("LEFS", 40, 49, True, "better"),  # exactly the MCID of 9 counts
        ("LEFS", 40, 48, False, "better"),
        ("LEFS", 49, 40, True, "worse"),
        ("VISA-A", 60, 74, False, "better"),
        ("VISA-A", 60, 75, True, "better"),
        ("VISA-A", 60, 45, True, "worse"),
        ("VISA-A", 60, 60, False, "same"),
    ],
)
def test_change_is_judged_against_the_instruments_mcid(instrument, earlier, latest, important, direction):
    change = metrics.questionnaire_change(earlier=earlier, latest=latest, instrument=instrument)
    assert change.points == latest - earlier
    assert change.important is important
    assert change.direction == direction


# --- the schedule and the reminder -----------------------------------------------------------------

START = datetime.date(2025, 3, 3)


@pytest.mark.parametrize(
    ("day", "repeat_weeks", "expected"),
    [
        (START - datetime.timedelta(days=1), 4, None),
        (START, 4, START),
        (START + datetime.timedelta(days=27), 4, START),
        (START + datetime.timedelta(days=28), 4, START + datetime.timedelta(weeks=4)),
        (START + datetime.timedelta(weeks=13), 4, START + datetime.timedelta(weeks=12)),
        (START + datetime.timedelta(weeks=13), None, START),  # once only
        (START + datetime.timedelta(weeks=3), 1, START + datetime.timedelta(weeks=3)),
    ],
)
def test_latest_due_date(day, repeat_weeks, expected):
    assert latest_due_date(start=START, repeat_weeks=repeat_weeks, day=day) == expected
