"""Every triage reason on a worked example, its words and date, the priority order, and "seen".

The verdicts are the existing rules' (metrics, the caseload annotations, the summary): the last
tests check that the triage and the dashboard's summary agree on the same patient.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
    exercise,
)
from tracker.models import Message, PatientProfile
from tracker.selectors.summary import progress_summary
from tracker.services.triage import mark_seen
from tracker.triage import rules
from tracker.triage.home import caseload_rows, reasons_by_patient, triage_home
from tracker.triage.reasons import Context, Level, day


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def moment(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="triage_physio", first_name="Priya", last_name="Shah")


def patient_of(physio, name: str = "Lena", side: str = "left"):
    patient = PatientFactory(username=name.lower(), first_name=name, last_name="Berg")
    PatientProfile.objects.filter(user=patient).update(physio=physio, affected_side=side)
    patient.profile.refresh_from_db()
    return patient


def reasons_of(physio, patient) -> list:
    rows = caseload_rows(PatientProfile.objects.filter(physio=physio), reviewer=physio, today=today())
    return reasons_by_patient(rows, reviewer=physio, today=today())[patient.pk]


def only(physio, patient, code: str):
    found = [reason for reason in reasons_of(physio, patient) if reason.code == code]
    assert len(found) == 1, [r.code for r in reasons_of(physio, patient)]
    return found[0]


def girth(patient, days: int, left: str, right: str, site: str = "tt10"):
    return GirthMeasurementFactory(
        patient=patient, date=days_ago(days), site=site, left_1=Decimal(left), right_1=Decimal(right)
    )


def reviewed(physio, patient, days: float = 0):
    PhysioNoteFactory(patient=patient, author=physio, is_review=True, visible_to_patient=False,
                      text="Reviewed", created_at=moment(days))


# --- urgent: red flags -------------------------------------------------------------------------------


def test_swelling_side_to_side_is_urgent_with_the_measurement_date(physio):
    lena = patient_of(physio)
    measurement = girth(lena, 2, "40.2", "37.0")
    reason = only(physio, lena, "swelling_asymmetry")
    assert reason.level == Level.URGENT
    when = day(days_ago(2), today())
    assert reason.words == f"urgent: left calf 3.2 cm larger than the right (tt10) ({when})"
    assert (reason.date, reason.since) == (days_ago(2), measurement.updated_at)


def test_the_smaller_involved_calf_is_not_swelling(physio):
    lena = patient_of(physio)  # left affected, right 3.4 cm larger: atrophy, not a clot
    girth(lena, 2, "34.2", "37.6")
    assert "swelling_asymmetry" not in {r.code for r in reasons_of(physio, lena)}


def test_a_calf_growing_2_cm_in_a_few_days_is_urgent(physio):
    lena = patient_of(physio)
    girth(lena, 6, "34.0", "36.0")
    girth(lena, 1, "34.0", "38.1")
    reason = only(physio, lena, "swelling_rise")
    assert reason.words.startswith("urgent: right calf grew 2.1 cm in 5 days (tt10)")


def test_red_flag_symptoms_ticked_are_urgent_in_her_words(physio):
    lena = patient_of(physio)
    log = SymptomLogFactory(patient=lena, date=days_ago(1), flag_tear_pop=True, flag_numbness=True)
    SymptomLogFactory(patient=lena, date=days_ago(5), flag_dvt_signs=True)  # older than 2 days: closed
    reason = only(physio, lena, "red_flag_symptom")
    assert reason.level == Level.URGENT
    assert reason.words == (
        "urgent: ticked “sudden tearing pain or a \"pop\" in the calf; numbness or pins and needles in "
        "the leg or foot” (yesterday)"
    )
    assert reason.since == log.updated_at


def test_an_open_flag_without_details_still_shows(physio):
    """Should the caseload's SQL and the details ever disagree, the urgent flag is not dropped."""
    row = SimpleNamespace(user_id=1, flag_swelling=True, flag_symptoms=False, affected_side="left")
    context = Context(rows=[row], reviewer=physio, today=today(), now=timezone.now())
    [reason] = rules.red_flags(context)
    assert (reason.code, reason.level) == ("red_flag", Level.URGENT)
    assert reason.words == "urgent: a red flag is open (see her review)"


# --- soon: pain rules ---------------------------------------------------------------------------------


def test_pain_during_and_after_exercise_above_5(physio):
    lena = patient_of(physio)
    session = ExerciseSessionFactory(patient=lena, performed_at=moment(2), pain_before=2, pain_after=7)
    ExerciseEntryFactory(session=session, pain_during=6)
    ExerciseSessionFactory(patient=lena, performed_at=moment(9), pain_after=9)  # older than a week
    ExerciseSessionFactory(patient=lena, performed_at=moment(1), pain_after=5)  # 5/10 is acceptable
    after, during = only(physio, lena, "pain_after"), only(physio, lena, "pain_during")
    performed = timezone.localtime(moment(2)).date()
    assert after.words == f"pain after exercise 7/10 ({day(performed, today())})"
    assert during.words == f"pain during exercise 6/10 ({day(performed, today())})"
    assert after.level == during.level == Level.SOON


def test_pain_not_settled_by_the_next_morning(physio):
    lena = patient_of(physio)
    performed = timezone.make_aware(datetime.datetime.combine(days_ago(1), datetime.time(18, 0)))
    ExerciseSessionFactory(patient=lena, performed_at=performed, pain_before=2, pain_after=4)
    SymptomLogFactory(patient=lena, date=today(), pain_next_morning=4)
    reason = only(physio, lena, "not_settled")
    assert reason.words == "pain not settled by the next morning: 4/10 (today)"


def test_pain_settled_by_the_next_morning_is_no_reason(physio):
    lena = patient_of(physio)
    performed = timezone.make_aware(datetime.datetime.combine(days_ago(1), datetime.time(18, 0)))
    ExerciseSessionFactory(patient=lena, performed_at=performed, pain_before=2, pain_after=4)
    SymptomLogFactory(patient=lena, date=today(), pain_next_morning=2)
    assert "not_settled" not in {r.code for r in reasons_of(physio, lena)}


def test_weekly_pain_rising(physio):
    lena = patient_of(physio)
    for n in (8, 10, 12):
        SymptomLogFactory(patient=lena, date=days_ago(n), pain_at_rest=2)
    for n in (1, 3):
        SymptomLogFactory(patient=lena, date=days_ago(n), pain_at_rest=4)
    reason = only(physio, lena, "weekly_rise")
    assert reason.words == "average pain at rest up from 2.0 to 4.0 in the last 7 days (yesterday)"


# --- soon: worse function or girth, messages ---------------------------------------------------------


def test_worsening_atrophy_despite_the_exercises(physio):
    lena = patient_of(physio)
    drop = exercise("eccentric-heel-drop-straight")
    PrescriptionFactory(patient=lena, exercise=drop, times_per_week=3, start_date=days_ago(120))
    for week in range(14):
        for n in range(3):
            session = ExerciseSessionFactory(patient=lena, performed_at=moment(week * 7 + n * 2 + 1))
            ExerciseEntryFactory(session=session, exercise=drop)
    girth(lena, 100, "35.0", "37.0")
    girth(lena, 2, "33.5", "37.0")
    reason = only(physio, lena, "worsening_atrophy")
    assert reason.level == Level.SOON
    assert reason.words.startswith("atrophy worse despite the exercises: left calf 3.5 cm smaller, 2.0 cm")


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [
        ((20, 27), (14, 27), "heel-rise LSI down 22 points in 4 weeks (74% → 52%; left 20 → 14 rises)"),
        ((20, 27), (16, 27), None),  # 4 fewer rises: within the test's error
        ((20, 24), (20, 30), None),  # the LSI fell because the other leg got stronger
        ((14, 27), (20, 27), None),  # better
    ],
    ids=["down", "within error", "other leg stronger", "better"],
)
def test_heel_rise_lsi_down_beyond_the_tests_error(physio, then, now, expected):
    lena = patient_of(physio)
    HeelRiseTestFactory(patient=lena, date=days_ago(31), reps_left=then[0], reps_right=then[1])
    HeelRiseTestFactory(patient=lena, date=days_ago(3), reps_left=now[0], reps_right=now[1])
    found = [r for r in reasons_of(physio, lena) if r.code == "heel_rise_decline"]
    if expected is None:
        assert found == []
    else:
        assert [r.words for r in found] == [f"{expected} ({day(days_ago(3), today())})"]
        assert found[0].level == Level.SOON


def test_heel_rise_needs_a_test_at_least_4_weeks_old(physio):
    lena = patient_of(physio)
    HeelRiseTestFactory(patient=lena, date=days_ago(20), reps_left=20, reps_right=27)
    HeelRiseTestFactory(patient=lena, date=days_ago(3), reps_left=12, reps_right=27)
    assert "heel_rise_decline" not in {r.code for r in reasons_of(physio, lena)}


def test_unread_messages_from_her(physio):
    lena = patient_of(physio)
    MessageFactory(patient=lena, text="First question", created_at=moment(0.2))
    latest = MessageFactory(patient=lena, text="Can I run   on Saturday?\nIt feels fine.",
                            created_at=moment(0.1))
    MessageFactory(patient=lena, text="Old, read", created_at=moment(3), read_at=moment(2))
    reason = only(physio, lena, "unread_message")
    when = timezone.localtime(latest.created_at)
    assert reason.words == (
        f"2 new messages from Lena: “Can I run on Saturday? It feels fine.” ({day(when.date(), today())}, "
        f"{when:%H:%M})"
    )
    assert reason.since == latest.created_at
    Message.objects.update(read_at=timezone.now())
    assert "unread_message" not in {r.code for r in reasons_of(physio, lena)}


def test_a_long_message_is_cut_to_an_excerpt(physio):
    lena = patient_of(physio)
    MessageFactory(patient=lena, text="word " * 60)
    reason = only(physio, lena, "unread_message")
    assert "…”" in reason.words and len(reason.words) < 140


def test_a_message_read_on_the_review_page_and_not_answered_stays_on_her_list(physio):
    lena = patient_of(physio)
    message = MessageFactory(
        patient=lena, text="Can I run on Saturday?", created_at=moment(2), read_at=moment(1)
    )
    reason = only(physio, lena, "unanswered_message")
    when = timezone.localtime(message.created_at)
    assert reason.words == (
        f"no reply yet to Lena's message: “Can I run on Saturday?” "
        f"({day(when.date(), today())}, {when:%H:%M})"
    )
    assert reason.level == Level.ROUTINE and reason.since == message.created_at
    assert "unread_message" not in {r.code for r in reasons_of(physio, lena)}

    PhysioNoteFactory(patient=lena, author=physio, visible_to_patient=False, created_at=moment(0.5))
    assert "unanswered_message" in {r.code for r in reasons_of(physio, lena)}  # a private note is no reply
    PhysioNoteFactory(patient=lena, author=physio, visible_to_patient=True, created_at=moment(0.4))
    assert "unanswered_message" not in {r.code for r in reasons_of(physio, lena)}


def test_only_her_latest_message_counts_and_an_unread_one_is_listed_as_new(physio):
    lena = patient_of(physio)
    PhysioNoteFactory(patient=lena, author=physio, visible_to_patient=True, created_at=moment(3))
    MessageFactory(patient=lena, text="Thanks!", created_at=moment(2), read_at=moment(1.5))
    MessageFactory(patient=lena, text="And the stairs?", created_at=moment(0.1))
    codes = [r.code for r in reasons_of(physio, lena)]
    assert "unread_message" in codes and "unanswered_message" not in codes


def test_seen_puts_an_unanswered_message_away(physio):
    lena = patient_of(physio)
    MessageFactory(patient=lena, created_at=moment(2), read_at=moment(1))
    profiles = PatientProfile.objects.filter(physio=physio)
    assert "unanswered_message" in [r.code for r in triage_home(profiles, reviewer=physio).needs[0].new]
    mark_seen(physio=physio, patient=lena, as_of=timezone.now())
    assert triage_home(profiles, reviewer=physio).needs == []


# --- routine: quiet, new data --------------------------------------------------------------------------


def test_no_log_for_9_days(physio):
    lena = patient_of(physio)
    SymptomLogFactory(patient=lena, date=days_ago(9))
    reviewed(physio, lena)
    reason = only(physio, lena, "not_logged")
    assert reason.level == Level.ROUTINE
    assert reason.words == f"no log for 9 days (last on {day(days_ago(9), today())})"


def test_logged_6_days_ago_is_not_quiet(physio):
    lena = patient_of(physio)
    SymptomLogFactory(patient=lena, date=days_ago(6))
    assert "not_logged" not in {r.code for r in reasons_of(physio, lena)}


# --- questionnaires (selectors.questionnaires.triage_reasons) -----------------------------------------


def test_a_lefs_worse_by_the_mcid_is_soon_with_its_scores_and_day(physio):
    lena = patient_of(physio)
    QuestionnaireResponseFactory(patient=lena, score=50, answers={}, submitted_at=moment(30))
    latest = QuestionnaireResponseFactory(patient=lena, score=40, answers={}, submitted_at=moment(2))
    reason = only(physio, lena, "questionnaire_worse")
    assert reason.level == Level.SOON
    assert reason.words == f"LEFS worse: 50 → 40 since the previous (MCID 9; {day(days_ago(2), today())})"
    submitted = latest.submitted_at
    assert (reason.date, reason.since) == (timezone.localtime(submitted).date(), submitted)


def test_a_drop_within_the_mcid_is_no_reason(physio):
    lena = patient_of(physio)
    QuestionnaireResponseFactory(patient=lena, score=50, answers={}, submitted_at=moment(30))
    QuestionnaireResponseFactory(patient=lena, score=42, answers={}, submitted_at=moment(2))
    assert "questionnaire_worse" not in {r.code for r in reasons_of(physio, lena)}


def test_a_questionnaire_overdue_for_a_week_is_routine(physio):
    lena = patient_of(physio)
    QuestionnaireAssignmentFactory(
        patient=lena, instrument="VISA-A", start_date=days_ago(8), repeat_weeks=None
    )
    reason = only(physio, lena, "questionnaire_overdue")
    assert reason.level == Level.ROUTINE
    assert reason.words == f"VISA-A not filled in, due {day(days_ago(8), today())} (8 days ago)"


def test_a_questionnaire_due_six_days_ago_is_not_overdue_yet(physio):
    lena = patient_of(physio)
    QuestionnaireAssignmentFactory(patient=lena, start_date=days_ago(6), repeat_weeks=None)
    assert "questionnaire_overdue" not in {r.code for r in reasons_of(physio, lena)}


def test_a_questionnaire_alone_is_new_data_at_its_submission(physio):
    lena = patient_of(physio)
    reviewed(physio, lena, days=3)
    response = QuestionnaireResponseFactory(patient=lena, submitted_at=moment(1))
    assert only(physio, lena, "new_data").since == response.submitted_at


def test_nothing_logged_yet(physio):
    lena = patient_of(physio)
    reason = only(physio, lena, "not_logged")
    assert reason.words == "nothing logged yet (joined today)"


def test_new_data_since_your_review(physio):
    lena = patient_of(physio)
    reviewed(physio, lena, days=3)
    log = SymptomLogFactory(patient=lena, date=days_ago(1))
    reason = only(physio, lena, "new_data")
    review_day = timezone.localtime(moment(3)).date()
    assert reason.words == f"new data since your review on {day(review_day, today())}"
    assert reason.since == log.updated_at


def test_new_data_since_a_review_earlier_today_reads_as_a_sentence(physio):
    lena = patient_of(physio)
    reviewed(physio, lena, days=0)
    SymptomLogFactory(patient=lena, date=today())
    assert only(physio, lena, "new_data").words == "new data since your review today"


def test_new_data_not_reviewed_yet_and_another_physios_review_does_not_count(physio):
    lena = patient_of(physio)
    PhysioNoteFactory(patient=lena, is_review=True, visible_to_patient=False)  # by another physio
    SymptomLogFactory(patient=lena, date=days_ago(1))
    assert only(physio, lena, "new_data").words == "new data, not reviewed by you yet"
    reviewed(physio, lena)
    assert "new_data" not in {r.code for r in reasons_of(physio, lena)}


# --- priority order --------------------------------------------------------------------------------------


def test_urgent_first_then_soon_then_routine_newest_first_inside_each_level(physio):
    quiet = patient_of(physio, "Quinn")  # routine only
    SymptomLogFactory(patient=quiet, date=days_ago(10))
    reviewed(physio, quiet)
    old_flag = patient_of(physio, "Olga")  # urgent, 2 days ago
    SymptomLogFactory(patient=old_flag, date=days_ago(2), flag_numbness=True)
    message = patient_of(physio, "Mia")  # soon, today
    SymptomLogFactory(patient=message, date=days_ago(1))
    reviewed(physio, message)
    MessageFactory(patient=message)
    new_flag = patient_of(physio, "Nora")  # urgent, yesterday, and a message
    SymptomLogFactory(patient=new_flag, date=days_ago(1), flag_dvt_signs=True)
    MessageFactory(patient=new_flag)

    home = triage_home(PatientProfile.objects.filter(physio=physio), reviewer=physio)

    assert [entry.profile.user.first_name for entry in home.needs] == ["Nora", "Olga", "Mia", "Quinn"]
    assert [entry.level for entry in home.needs] == [Level.URGENT, Level.URGENT, Level.SOON, Level.ROUTINE]
    nora = home.needs[0]
    assert [r.level for r in nora.reasons] == sorted(r.level for r in nora.reasons)
    assert nora.reasons[0].code == "red_flag_symptom"


def test_inside_a_level_the_newest_reason_first(physio):
    lena = patient_of(physio)
    ExerciseSessionFactory(patient=lena, performed_at=moment(5), pain_after=8)
    MessageFactory(patient=lena)
    codes = [r.code for r in reasons_of(physio, lena) if r.level == Level.SOON]
    assert codes == ["unread_message", "pain_after"]


# --- seen ------------------------------------------------------------------------------------------------


def test_seen_hides_her_until_something_new_comes_up(physio):
    lena = patient_of(physio)
    SymptomLogFactory(patient=lena, date=days_ago(1), flag_dvt_signs=True)
    message = MessageFactory(patient=lena)
    profiles = PatientProfile.objects.filter(physio=physio)

    mark_seen(physio=physio, patient=lena, as_of=timezone.now())
    home = triage_home(profiles, reviewer=physio)
    assert home.needs == [] and [entry.profile.user for entry in home.rest] == [lena]
    assert [r.code for r in home.rest[0].reasons][:1] == ["red_flag_symptom"]  # still known, seen
    message.refresh_from_db()
    assert message.read_at is not None and message.read_by == physio  # seeing the card read it

    MessageFactory(patient=lena, text="One more thing", created_at=timezone.now())
    home = triage_home(profiles, reviewer=physio)
    assert [entry.profile.user for entry in home.needs] == [lena]
    assert [r.code for r in home.needs[0].new] == ["unread_message"]


def test_seen_only_reads_the_messages_the_card_showed(physio):
    lena = patient_of(physio)
    shown = MessageFactory(patient=lena, created_at=moment(0.01))
    later = MessageFactory(patient=lena, created_at=timezone.now())
    mark_seen(physio=physio, patient=lena, as_of=moment(0.005))
    shown.refresh_from_db()
    later.refresh_from_db()
    assert shown.read_at is not None and later.read_at is None


def test_seen_is_per_physio(physio):
    lena = patient_of(physio)
    MessageFactory(patient=lena)
    mark_seen(physio=PhysioFactory(), patient=lena, as_of=timezone.now())
    Message.objects.update(read_at=None)
    home = triage_home(PatientProfile.objects.filter(physio=physio), reviewer=physio)
    assert [entry.profile.user for entry in home.needs] == [lena]


# --- the same verdicts as the dashboard's summary ----------------------------------------------------------


@pytest.mark.parametrize(
    "setup",
    [
        lambda p: girth(p, 3, "40.5", "37.0"),
        lambda p: (girth(p, 9, "34.0", "36.0"), girth(p, 2, "36.3", "36.0")),
        lambda p: SymptomLogFactory(patient=p, date=days_ago(0), flag_severe_pain=True),
        lambda p: ExerciseEntryFactory(session=ExerciseSessionFactory(patient=p, performed_at=moment(3),
                                                                      pain_after=6), pain_during=8),
        lambda p: girth(p, 3, "34.0", "37.5"),
    ],
    ids=["side to side", "rise", "symptom", "pain", "nothing"],
)
def test_the_triage_and_the_summary_agree(physio, setup):
    lena = patient_of(physio)
    setup(lena)
    summary = progress_summary(lena)
    found = {r.code for r in reasons_of(physio, lena)}
    urgent = {"swelling_asymmetry", "swelling_rise"} | {"red_flag_symptom"}
    symptom_codes = {"dvt_signs", "tear_pop", "severe_pain", "numbness"}
    expected_urgent = {("red_flag_symptom" if f.code in symptom_codes else f.code)
                       for f in summary.red_flags if f.level == "urgent"}
    assert found & urgent == expected_urgent
    assert found & {"pain_during", "pain_after"} == {b.code for b in summary.pain.breaches} & {
        "pain_during", "pain_after"}


@pytest.mark.parametrize("days", [None, 6, 7, 8, 30])
def test_quiet_is_the_caseload_filters_rule(physio, client, days):
    lena = patient_of(physio)
    if days is not None:
        SymptomLogFactory(patient=lena, date=days_ago(days))
    client.force_login(physio)
    filtered = client.get("/admin/tracker/patientprofile/?not_logged=yes").context["cl"].result_list
    assert ("not_logged" in {r.code for r in reasons_of(physio, lena)}) == (len(filtered) == 1)
