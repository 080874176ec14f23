"""The dashboard: headline numbers worded as real change vs measurement error, flags, notes, charts."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)
from tests.helpers import log_sessions, text_of
from tests.views.test_charts import make_history
from tracker.charts.data import CHART_NAMES, ChartOptions, build
from tracker.models import PhysioNote, User
from tracker.selectors.versions import data_versions

TODAY = timezone.localdate


def plain(response) -> str:
    """The page's text with entities decoded and no space before punctuation."""
    return re.sub(r"\s+([;.,])", r"\1", html.unescape(text_of(response)))


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def test_it_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_no_template_code_shows_on_the_page(patient_client, patient):
    make_history(patient, 3)
    text = patient_client.get("/").content.decode()
    for code in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert code not in text, f"{code} printed on the dashboard"


def test_empty_dashboard_says_what_to_do(patient_client):
    text = text_of(patient_client.get("/"))
    assert "No measurements yet" in text
    assert "No heel-rise tests yet" in text


def test_worked_example_lsi_and_smaller_side(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("34.2"), right_1=Decimal("37.6")
    )
    text = text_of(patient_client.get("/"))
    assert "91.0%" in text
    assert "Left calf 3.4 cm smaller" in text
    assert "Marked deficit" in text


def test_change_beyond_error_is_called_real(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(60), left_1=Decimal("34.0"), right_1=Decimal("37.5")
    )
    GirthMeasurementFactory(
        patient=patient, date=days_ago(35), left_1=Decimal("34.8"), right_1=Decimal("37.5")
    )
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("35.2"), right_1=Decimal("37.5")
    )
    text = text_of(patient_client.get("/"))
    # since the first: +1.2 cm is real; last 4 weeks: +0.4 cm is within error
    assert "left calf +1.2 cm — a real change" in text
    assert "Last 4 weeks: +0.4 cm — within measurement error" in text


def test_change_within_error_is_not_called_real(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(20), left_1=Decimal("34.0"), right_1=Decimal("37.5")
    )
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("34.9"), right_1=Decimal("37.5")
    )
    text = text_of(patient_client.get("/"))
    assert "+0.9 cm — within measurement error" in text
    assert "a real change" not in text


def test_heel_rise_change_uses_six_rep_error(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(30), reps_left=12, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=17, reps_right=27)
    text = text_of(patient_client.get("/"))
    assert "left +5 rises — within test error" in text
    assert "63.0%" in text


def test_heel_rise_card_gives_a_real_drop_since_the_previous_test(patient_client, patient):
    """Up 2 rises since the first test (within error) but down 6 since the previous one: both said."""
    for days, left in ((44, 14), (23, 22), (2, 16)):
        HeelRiseTestFactory(patient=patient, date=days_ago(days), reps_left=left, reps_right=26)
    text = plain(patient_client.get("/"))
    assert "Since the first test: left +2 rises — within test error" in text
    previous = days_ago(23)
    assert (
        f"Since the previous test ({previous.day} {previous:%b %Y}): left -6 rises — a real change; "
        "LSI 84.6% → 61.5%."
    ) in text


def test_units_follow_the_profile(patient_client, patient):
    patient.profile.unit = "in"
    patient.profile.save()
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("34.2"), right_1=Decimal("37.6")
    )
    text = text_of(patient_client.get("/"))
    assert "left 13.5 in" in text
    assert "Left calf 1.3 in smaller" in text


def test_swelling_red_flag_is_shown_at_the_top(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("40.6"), right_1=Decimal("37.5")
    )
    response = patient_client.get("/")
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Seek medical review today" in text_of(response)


def test_ticked_warning_symptom_is_shown_and_pauses_her_exercises(patient_client, patient):
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_numbness=True)
    text = text_of(patient_client.get("/"))
    assert "urgent medical care" in text
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in text


def test_a_review_flag_alone_does_not_pause_her_exercises(patient_client, patient):
    """Atrophy getting worse (a review flag, not urgent) asks for a review, not a pause."""
    prescription = PrescriptionFactory(patient=patient, times_per_week=1, start_date=days_ago(100))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(weeks=week) for week in range(14)))
    for days, left in ((90, "36.0"), (1, "34.0")):  # 2 cm smaller in 13 weeks, kept up throughout
        GirthMeasurementFactory(patient=patient, date=days_ago(days), left_1=Decimal(left),
                                right_1=Decimal("37.5"))
    text = text_of(patient_client.get("/"))
    assert "Act on this today" in text
    assert "Pause your calf exercises" not in text


def test_pain_above_five_breaks_the_monitoring_rules(patient_client, patient):
    session = ExerciseSessionFactory(
        patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1), pain_before=2, pain_after=7
    )
    ExerciseEntryFactory(session=session, pain_during=6)
    text = text_of(patient_client.get("/"))
    assert "7 /10" in text
    assert "Pain-monitoring rules kept" not in text
    assert "Pain during exercise went above 5/10." in text
    assert "Pain after exercise was above 5/10." in text
    assert text.count("Reduce the load") == 1  # one advice for both breaches


def test_without_a_session_this_week_the_pain_card_does_not_say_the_rules_were_kept(patient_client, patient):
    """Her last session 10 days ago: "rules kept this week" praised a week with nothing logged, beside
    "0 of 7 sessions this week"."""
    ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=10),
                           pain_after=3)
    text = plain(patient_client.get("/"))
    assert "No sessions in the last 7 days, so no pain during or after exercise to check." in text
    assert "rules kept" not in text
    ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1),
                           pain_after=3)
    assert "Pain-monitoring rules kept in the last 7 days (1 session)" in plain(patient_client.get("/"))


def test_while_paused_the_pain_card_does_not_say_next_session(patient_client, patient):
    """"Pause your calf exercises" and "reduce the load next session" on one page contradicted."""
    yesterday = timezone.now() - datetime.timedelta(days=1)
    session = ExerciseSessionFactory(patient=patient, performed_at=yesterday, pain_after=7)
    ExerciseEntryFactory(session=session, pain_during=6)
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    text = plain(patient_client.get("/"))
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in text
    assert "When you start again, reduce the load" in text
    assert "next session" not in text


def programme_card(response) -> str:
    card = re.search(r'aria-labelledby="card-programme">(.*?)</section>', response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card.group(1))).split())


def test_while_paused_the_programme_card_does_not_ask_for_the_rest_of_the_week(patient_client, patient):
    """"Pause your calf exercises" beside "1 of 4 sessions this week so far" asked for three more."""
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, [datetime.timedelta(seconds=1)])
    assert "1 of 4 sessions this week" in programme_card(patient_client.get("/"))
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    card = programme_card(patient_client.get("/"))
    assert ("1 session this week (Monday to Sunday). "
            "Your programme is paused until you have been seen.") in card
    assert "of 4" not in card


def test_before_she_has_a_programme_the_button_logs_a_session_not_todays_programme(patient_client, patient):
    """A new patient's card says "no sessions expected": the button must not offer a programme."""
    content = patient_client.get("/").content.decode()
    assert f'href="{reverse("session_new")}">Log a session</a>' in content
    assert "today's programme" not in content
    PrescriptionFactory(patient=patient)
    assert "Log today's programme" in patient_client.get("/").content.decode()  # a prescription: a new stamp


def test_while_paused_the_dashboard_offers_a_past_session_not_todays_programme(patient_client, patient):
    """"Pause your calf exercises" above a "Log today's programme" button told her two things."""
    PrescriptionFactory(patient=patient)
    assert "Log today's programme" in patient_client.get("/").content.decode()
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    content = patient_client.get("/").content.decode()
    assert f'href="{reverse("session_new")}">Log a session you have done</a>' in content
    assert "today's programme" not in content and "today&#x27;s programme" not in content


def test_sessions_this_week_and_adherence(patient_client, patient):
    PrescriptionFactory(patient=patient, times_per_week=7, start_date=days_ago(30))
    for n in range(7):
        session = ExerciseSessionFactory(
            patient=patient, performed_at=timezone.now() - datetime.timedelta(days=n)
        )
        ExerciseEntryFactory(session=session, exercise=patient.prescriptions.first().exercise)
    text = text_of(patient_client.get("/"))
    assert "Adherence, last 14 days: 50%" in text
    assert "(7 of 14 sessions)" in text  # whole sessions
    done_this_week = timezone.localdate().weekday() + 1
    assert f"{done_this_week} of 7 sessions this week" in text


def test_more_sessions_than_expected_are_not_written_9_of_8(patient_client, patient):
    """Four a week (8 expected in 14 days), one every day: 14 done."""
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(days=n) for n in range(14)))
    text = text_of(patient_client.get("/"))
    assert "Adherence, last 14 days: 100% (14 sessions, more than the 8 expected)" in text
    assert "of 8 sessions" not in text


def test_more_sessions_this_week_than_expected_are_not_written_4_of_3(patient_client, patient):
    """Once a week, two sessions logged today: the card said "2 of 1", the chart's summary too."""
    prescription = PrescriptionFactory(patient=patient, times_per_week=1, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(seconds=n) for n in (0, 1)))
    text = text_of(patient_client.get("/"))
    assert "2 sessions this week so far, more than the 1 expected (Monday to Sunday)." in text
    assert "2 of 1" not in text
    chart = build("adherence", patient, patient.profile, ChartOptions(range_key="4w"), timezone.localdate())
    assert chart.summary.endswith("This week so far: 2 sessions, more than the 1 expected.")
    week, sessions, adherence = chart.rows[-1]
    assert week.endswith(" (so far)")  # as in the volume table
    assert (sessions, adherence) == ("2 sessions, more than the 1 expected", "week not over")


def test_while_paused_the_adherence_chart_does_not_ask_for_the_rest_of_the_week(patient_client, patient):
    """The card said "Your programme is paused" and the chart below it "1 of 4 so far"."""
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, [datetime.timedelta(seconds=1)])
    stamp = data_versions(patient)["adherence"]
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    assert data_versions(patient)["adherence"] != stamp  # the cached picture is not served again
    chart = build("adherence", patient, patient.profile, ChartOptions(range_key="4w"), timezone.localdate())
    assert chart.summary.endswith(
        "This week so far: 1 session. Your programme is paused until you have been seen.")
    week, sessions, adherence = chart.rows[-1]
    assert week.endswith(" (so far)") and (sessions, adherence) == ("1 session (paused)", "paused")
    svg = patient_client.get("/charts/adherence.svg?range=4w").content.decode()
    assert ">paused<" in svg and ">so far<" not in svg


def test_this_week_says_so_far_never_a_low_percentage(patient_client, patient):
    PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    session = ExerciseSessionFactory(patient=patient, performed_at=timezone.now())
    ExerciseEntryFactory(session=session, exercise=patient.prescriptions.first().exercise)
    text = text_of(patient_client.get("/"))
    assert "1 of 4 sessions this week so far" in text  # any day, Sunday included: today is not over


def test_daily_check_in_opens_todays_form_and_the_report_button_looks_enabled(patient_client):
    html = patient_client.get("/").content.decode()
    today = timezone.localdate().isoformat()
    assert f'href="/symptoms/{today}/">Daily check-in</a>' in html
    assert 'class="btn btn-outline-dark" href="/report.pdf' in html


def test_girth_card_gives_the_cm_verdict_and_never_a_percentage_target(patient_client, patient):
    """First measurement of the demo story: LSI 90.6% but the left calf 3.5 cm smaller."""
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("34.0"), right_1=Decimal("37.5")
    )
    text = plain(patient_client.get("/"))
    assert "Left calf 3.5 cm smaller" in text
    assert "Marked deficit (> 2 cm); goal: less than 1 cm smaller (not reached yet)." in text
    girth_card = text.split("Heel-rise symmetry")[0]
    assert "Target" not in girth_card and "90%" not in girth_card


def test_the_girth_card_s_numbers_add_up(patient_client, patient):
    """Means of 38.07 and 35.93 (2.14 apart) are shown as 38.1 and 35.9: the difference says 2.2."""
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1),
        left_1=Decimal("35.9"), left_2=Decimal("36.0"), left_3=Decimal("35.9"),
        right_1=Decimal("38.1"), right_2=Decimal("38.0"), right_3=Decimal("38.1"),
    )
    text = plain(patient_client.get("/"))
    assert "left 35.9 cm, right 38.1 cm" in text
    assert "Left calf 2.2 cm smaller" in text


def test_heel_rise_card_says_whether_the_target_is_reached(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=21, reps_right=27)
    assert "Target 90%: not reached yet." in plain(patient_client.get("/"))
    HeelRiseTestFactory(patient=patient, date=timezone.localdate(), reps_left=25, reps_right=27)
    assert "Target 90%: reached." in plain(patient_client.get("/"))


def test_only_the_newest_unread_note_is_open_the_others_fold_away(patient_client, patient):
    PhysioNoteFactory(patient=patient, text="Older note.", visible_to_patient=True)
    PhysioNoteFactory(patient=patient, text="Newest note.", visible_to_patient=True)
    html = patient_client.get("/").content.decode()
    assert html.count('aria-label="New note from your physiotherapist"') == 1
    assert "1 more new note" in html and html.index("<details") < html.index("Older note.")


def test_visible_unread_note_is_shown_until_marked_read(patient_client, patient):
    note = PhysioNoteFactory(patient=patient, text="Add 2 kg next week.", visible_to_patient=True)
    PhysioNoteFactory(patient=patient, text="Private: check thyroid history.", visible_to_patient=False)
    text = text_of(patient_client.get("/"))
    assert "Add 2 kg next week." in text
    assert "Private" not in text
    response = patient_client.post(f"/notes/{note.pk}/read/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Add 2 kg next week." not in text_of(patient_client.get("/"))


def test_marking_a_note_read_checks_ownership_and_method(patient_client, other_patient):
    other_note = PhysioNoteFactory(patient=other_patient)
    assert patient_client.post(f"/notes/{other_note.pk}/read/").status_code == 404
    assert patient_client.get(f"/notes/{other_note.pk}/read/").status_code == 405
    assert PhysioNote.objects.get(pk=other_note.pk).read_at is None


def test_private_note_cannot_be_marked_read(patient_client, patient):
    private = PhysioNoteFactory(patient=patient, visible_to_patient=False)
    assert patient_client.post(f"/notes/{private.pk}/read/").status_code == 404


def test_every_chart_has_an_image_alt_and_table(patient_client, patient):
    GirthMeasurementFactory(
        patient=patient, date=days_ago(8), left_1=Decimal("34.0"), right_1=Decimal("37.5")
    )
    GirthMeasurementFactory(
        patient=patient, date=days_ago(1), left_1=Decimal("34.5"), right_1=Decimal("37.5")
    )
    html = patient_client.get("/?range=4w").content.decode()
    for name in CHART_NAMES:
        match = re.search(rf'<img[^>]+src="/charts/{name}\.svg\?range=4w[^"]*"[^>]+alt="([^"]+)"', html)
        assert match, name
    assert html.count("<details") == len(CHART_NAMES)
    assert "34.0 to 34.5 cm" in html  # the girth summary sentence


def test_a_chart_table_of_five_columns_or_more_is_one_card_a_row_on_a_phone(patient_client, patient):
    """Each cell carries its column's name (the card's label); narrower tables stay tables."""
    make_history(patient, 4)
    today = timezone.localdate()
    page = patient_client.get("/").content.decode()
    volume = build("volume", patient, patient.profile, ChartOptions(), today)
    first = volume.labelled_rows[0]
    assert first[1] == ("Left (sets × reps)", volume.rows[0][1]) and len(first) == len(volume.columns) == 6
    for name in CHART_NAMES:
        chart = build(name, patient, patient.profile, ChartOptions(), today)
        assert all(len(row) == len(chart.columns) for row in chart.rows), name  # every cell labelled
    tables = re.findall(r'<table class="([^"]*)">\s*<caption class="visually-hidden">([^<]*)</caption>', page)
    as_cards = {html.unescape(title) for classes, title in tables if "cards-on-phone" in classes}
    assert as_cards == {"Weekly training volume", "Pain and night cramps"}, tables
    assert '<td data-label="Right (sets × reps)">' in page


@pytest.mark.parametrize("query", ["range=bogus", "site=nowhere", "range=all", "range=1y&site=max"])
def test_range_switch_never_fails(patient_client, patient, query):
    GirthMeasurementFactory(patient=patient)
    assert patient_client.get(f"/?{query}").status_code == 200


def test_physio_without_profile_goes_to_admin(client, physio):
    client.force_login(physio)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_query_count_does_not_grow_with_data(client, patient, other_patient):

    make_history(patient, 2)
    client.force_login(patient)
    with CaptureQueriesContext(connection) as small:
        client.get("/?range=all")
    make_history(other_patient, 25)
    client.force_login(other_patient)
    with CaptureQueriesContext(connection) as large:
        client.get("/?range=all")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_demo_story_at_a_glance(client, db):
    """Seed 000: left calf ~3.5 cm smaller at the start, LSI ~91% -> ~95%, heel-rise LSI 44% -> 78%."""
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    client.force_login(User.objects.get(username="demo"))
    text = plain(client.get("/?range=all"))
    girth = re.search(r"Left calf (\d\.\d) cm smaller Meaningful deficit \(1-2 cm\); goal: less than 1 cm",
                      text)
    assert 1.5 <= float(girth.group(1)) <= 2.0
    heel = re.search(r"LSI (\d+\.\d)% → (\d+\.\d)%\.", text[text.index("Heel-rise symmetry") :])
    assert 43.0 <= float(heel.group(1)) <= 46.0
    assert 76.0 <= float(heel.group(2)) <= 80.0
    assert "a real change" in text


def girth(patient, days: int, left: str) -> None:
    """A measurement `days` ago: left `left` cm, right 37.5 cm."""
    GirthMeasurementFactory(
        patient=patient, date=days_ago(days), left_1=Decimal(left), right_1=Decimal("37.5")
    )


# --- cached per data stamp (issue 20) ----------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_second_view_reads_the_cache_and_runs_the_same_few_queries_for_any_history(
    client, patient, other_patient
):

    make_history(patient, 2)
    make_history(other_patient, 25)
    warm = []
    for user in (patient, other_patient):
        client.force_login(user)
        cold = count_queries(client, "/?range=all")
        warm.append(count_queries(client, "/?range=all"))
        assert warm[-1] < cold
    assert warm[0] == warm[1] <= 8  # session, user, profile, notes, questionnaires (+ the cache's)


def test_a_second_view_takes_her_data_stamp_from_the_cache(client, patient):
    """The stamp's SQL reads all her rows (about 1 ms at 3 years): kept between her writes."""
    make_history(patient, 2)
    client.force_login(patient)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    assert not [q["sql"] for q in captured.captured_queries if "MAX(updated_at)" in q["sql"]]


def test_the_summary_is_worked_out_once_per_data_stamp(patient_client, patient, monkeypatch):
    from tracker.selectors import summary

    calls = []
    real = summary.progress_summary
    monkeypatch.setattr(summary, "progress_summary", lambda *a, **k: calls.append(1) or real(*a, **k))
    GirthMeasurementFactory(patient=patient, date=days_ago(8))
    patient_client.get("/")
    patient_client.get("/")
    assert len(calls) == 1
    patient_client.get("/?range=all")  # other charts, the same headline numbers
    assert len(calls) == 1


def test_a_new_record_shows_at_once(patient_client, patient):
    girth(patient, 8, "34.0")
    assert "34.0 cm at the first and the last" in patient_client.get("/?range=4w").content.decode()
    girth(patient, 1, "34.5")
    page = patient_client.get("/?range=4w").content.decode()
    assert "34.0 to 34.5 cm" in page  # the chart's alt text and table
    assert "left 34.5 cm, right 37.5 cm" in html.unescape(page)  # the girth card


def test_a_red_flag_ticked_after_a_view_shows_on_the_next(patient_client, patient):
    assert "Act on this today" not in text_of(patient_client.get("/"))
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    assert "Act on this today" in text_of(patient_client.get("/"))


def test_a_changed_prescription_changes_the_programme_numbers(patient_client, patient):
    prescription = PrescriptionFactory(patient=patient, times_per_week=3)
    before = text_of(patient_client.get("/"))
    prescription.times_per_week = 6
    prescription.save()
    after = text_of(patient_client.get("/"))
    assert before != after


def test_a_broken_cache_still_serves_the_page(patient_client, patient, monkeypatch, caplog):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache server down")

    girth(patient, 1, "34.5")
    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = patient_client.get("/")
    assert response.status_code == 200
    assert "left 34.5 cm, right 37.5 cm" in html.unescape(text_of(response))
    assert "Cache read failed" in caplog.text


def test_one_patients_page_is_never_served_to_another(client, patient, other_patient):
    girth(patient, 1, "31.5")
    girth(other_patient, 1, "36.5")
    client.force_login(patient)
    assert "31.5" in client.get("/").content.decode()
    client.force_login(other_patient)
    page = client.get("/").content.decode()
    assert "36.5" in page and "31.5" not in page

