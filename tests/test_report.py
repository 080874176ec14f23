"""The printable PDF progress report (/report.pdf) and build_report, which the admin reuses."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import log_sessions
from tracker import metrics
from tracker.charts.data import ChartOptions
from tracker.formatting import percent
from tracker.report import build_report
from tracker.selectors.summary import progress_summary

URL = reverse("report")
TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def pdf_text(body: bytes) -> str:
    """All the text of a PDF, whitespace collapsed (table cells and wrapped lines become spaces)."""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def image_count(body: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(body)).pages)


def measure(patient, days: int, left: str, right: str):
    return GirthMeasurementFactory(
        patient=patient, date=days_ago(days), left_1=Decimal(left), right_1=Decimal(right)
    )


def set_profile(user, **fields) -> None:
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


@pytest.fixture
def rehab_data(patient):
    """Two months of the left-calf patient's data: every headline and every chart has something."""
    patient.first_name, patient.last_name = "Anna", "Example"
    patient.save()
    set_profile(patient, physio=PhysioFactory(first_name="Priya", last_name="Shah"))
    measure(patient, 60, "33.0", "37.6")
    measure(patient, 2, "34.2", "37.6")
    HeelRiseTestFactory(patient=patient, date=days_ago(50), reps_left=10, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(3), reps_left=20, reps_right=27)
    PrescriptionFactory(patient=patient, exercise=exercise("eccentric-heel-drop-straight"))
    PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), active=False)
    for n in (2, 4, 9):  # 2 and 9 days ago lie in two different weeks whatever today is
        performed_at = timezone.now() - datetime.timedelta(days=n)
        session = ExerciseSessionFactory(patient=patient, performed_at=performed_at)
        ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
        SymptomLogFactory(patient=patient, date=days_ago(n - 1))
    PhysioNoteFactory(patient=patient, visible_to_patient=True, text="Add 2 kg to the heel drops next week.")
    PhysioNoteFactory(patient=patient, visible_to_patient=False, text="Private: refer to a doctor.")
    return patient


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_physio_without_profile_is_sent_to_admin(client, physio):
    client.force_login(physio)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_it_rejects_post(patient_client):
    assert patient_client.post(URL).status_code == 405


# --- the report ----------------------------------------------------------------------------------------


def test_it_works(patient_client, rehab_data):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="calf-rehab-report-{TODAY.isoformat()}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Calf rehab progress report" in text
    assert "Anna Example" in text
    assert "Atrophy of the medial head of the left gastrocnemius" in text
    assert "Priya Shah" in text
    assert f"Last 12 weeks: {days_ago(84).day} {days_ago(84):%b %Y}" in text
    assert "91.0%" in text  # 34.2 / 37.6 now
    assert "87.8%" in text  # 33.0 / 37.6 at the first measurement
    assert "Left calf 3.4 cm smaller" in text
    assert "+1.2 cm" in text and "a real change" in text
    assert "74.1%" in text  # heel rises 20 / 27
    assert "+10" in text
    assert "Eccentric heel drop, knee straight" in text
    assert "Soleus stretch" not in text  # inactive prescription
    assert "Self-monitoring record; not a diagnosis." in text
    assert "Page 1 of" in text
    assert image_count(response.content) == 6  # every chart, adherence and volume included


def test_it_shows_the_numbers_of_the_dashboard(patient_client, rehab_data):
    summary = progress_summary(rehab_data)
    text = pdf_text(patient_client.get(URL).content)
    assert percent(summary.girth.symmetry.lsi) in text
    assert percent(summary.girth.first_lsi) in text
    assert percent(summary.heel_rise.symmetry.lsi) in text
    assert f"{summary.adherence.percent:.0f}%" in text
    assert f"{summary.adherence.done} of {summary.adherence.expected} sessions." in text
    assert f"{summary.this_week.done} of {summary.this_week.expected}" in text
    # Girth in cm, never with a percentage target; heel-rise with its target.
    assert "Target LSI" not in text
    assert summary.girth.asymmetry_label in text
    assert f"Target {summary.heel_rise.target_lsi:g}%: " in text


def test_it_compares_the_latest_heel_rise_test_with_the_previous_one(patient_client, patient):
    for days, left in ((44, 14), (23, 22), (2, 16)):
        HeelRiseTestFactory(patient=patient, date=days_ago(days), reps_left=left, reps_right=26, incline=10)
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    previous = days_ago(23)
    assert (
        f"Left (involved) heel rises since the previous test ({previous.day} {previous:%b %Y}) -6 "
        "A real change; LSI 84.6% to 61.5%."
    ) in text
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=16, reps_right=26, incline=0)
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "On another surface: the two tests cannot be compared." in text


def test_visible_notes_appear_and_private_notes_never_do(patient_client, rehab_data):
    text = pdf_text(patient_client.get(URL).content)
    assert "Add 2 kg to the heel drops next week." in text
    assert "refer to a doctor" not in text
    assert "Private" not in text


def test_notes_outside_the_period_are_left_out(patient_client, patient):
    GirthMeasurementFactory(patient=patient)
    two_months_ago = timezone.now() - datetime.timedelta(days=60)
    PhysioNoteFactory(patient=patient, text="An old note.", created_at=two_months_ago)
    assert "An old note." not in pdf_text(patient_client.get(URL, {"range": "4w"}).content)
    assert "An old note." in pdf_text(patient_client.get(URL, {"range": "all"}).content)


def test_markup_in_user_text_is_printed_literally(patient_client, patient):
    patient.first_name = "Zoë & <i>Ольга</i>"
    patient.save()
    set_profile(patient, condition="Left <b>calf</b> atrophy")
    GirthMeasurementFactory(patient=patient)
    PhysioNoteFactory(patient=patient, text="<script>alert('x')</script>\n<b>Rest</b> & ice")
    response = patient_client.get(URL)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Zoë & <i>Ольга</i>" in text
    assert "Left <b>calf</b> atrophy" in text
    assert "<script>alert('x')</script> <b>Rest</b> & ice" in text


def test_a_patient_without_data_gets_a_valid_pdf(patient_client):
    response = patient_client.get(URL)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Nothing to report yet" in text
    assert "There is nothing to report yet." in text
    assert "Headline numbers" not in text
    assert image_count(response.content) == 0


@pytest.mark.parametrize(
    ("query", "period"),
    [
        ({"range": "bogus", "site": "nowhere"}, "Last 12 weeks"),
        ({"range": "4w"}, "Last 4 weeks"),
        ({"range": "all"}, "All records up to"),
    ],
)
def test_the_range_is_respected_and_bad_values_fall_back(patient_client, rehab_data, query, period):
    response = patient_client.get(URL, query)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert period in text
    assert "10 cm below the knee bump (tt10)" in text


def test_it_only_contains_the_logged_in_patients_data(patient_client, rehab_data, other_patient):
    set_profile(other_patient, condition="Achilles rupture, right side")
    GirthMeasurementFactory(patient=other_patient, left_1=Decimal("30.0"), right_1=Decimal("40.0"))
    HeelRiseTestFactory(patient=other_patient, reps_left=5, reps_right=30)
    PrescriptionFactory(patient=other_patient, exercise=exercise("deep-water-running"))
    PhysioNoteFactory(patient=other_patient, text="Olga should rest this week.")
    text = pdf_text(patient_client.get(URL).content)
    assert "Anna Example" in text
    assert "Achilles rupture" not in text
    assert "Olga should rest" not in text
    assert "Deep-water running" not in text
    assert "75.0%" not in text  # her girth LSI
    assert "16.7%" not in text  # her heel-rise LSI


def test_it_uses_inches_for_a_patient_who_prefers_them(patient_client, patient):
    set_profile(patient, unit="in")
    measure(patient, 1, "34.2", "37.6")
    text = pdf_text(patient_client.get(URL).content)
    assert "left 13.5 in, right 14.8 in" in text
    assert "Left calf 1.3 in smaller" in text
    assert "inches (in)" in text
    assert " cm smaller" not in text


def test_red_flags_are_shown(patient_client, patient):
    measure(patient, 1, "38.0", "34.0")
    text = pdf_text(patient_client.get(URL).content)
    assert "Act on this today" in text
    assert metrics.SWELLING_MESSAGE in text
    assert metrics.EXERCISE_PAUSED_ADVICE in text


def test_broken_pain_rules_are_named_with_the_advice_once(patient_client, patient):
    session = ExerciseSessionFactory(
        patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1), pain_after=7
    )
    ExerciseEntryFactory(session=session, pain_during=6)
    text = pdf_text(patient_client.get(URL).content)
    assert "Pain during exercise went above 5/10. Pain after exercise was above 5/10." in text
    assert text.count("Reduce the load") == 1


def test_the_pain_rules_are_kept_by_sessions_not_by_a_week_without_any(patient_client, patient):
    ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=12))
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "No sessions in the last 7 days, so no pain during or after exercise to check." in text
    assert "Kept" not in text
    ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=2))
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "Pain-monitoring rules Kept Pain-monitoring rules kept in the last 7 days (1 session)" in text


def test_more_sessions_than_expected_are_counted_not_written_9_of_8(patient_client, patient):
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(days=n) for n in range(14)))
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "14 sessions, more than the 8 expected." in text



def test_more_sessions_this_week_than_expected_are_not_written_2_of_1(patient_client, patient):
    prescription = PrescriptionFactory(patient=patient, times_per_week=1, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(seconds=n) for n in (0, 1)))
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "Sessions this week 2 More than the 1 expected. So far" in text
    assert "2 of 1" not in text


def test_while_paused_the_report_says_to_reduce_the_load_when_she_starts_again(patient_client, patient):
    session = ExerciseSessionFactory(
        patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1), pain_after=7
    )
    ExerciseEntryFactory(session=session, pain_during=6)
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert metrics.EXERCISE_PAUSED_ADVICE in text
    assert "When you start again, reduce the load" in text and "Reduce the load next session" not in text


def test_while_paused_the_report_does_not_count_the_sessions_still_expected(patient_client, patient):
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, [datetime.timedelta(seconds=1)])
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=True)
    text = " ".join(pdf_text(patient_client.get(URL).content).split())
    assert "Sessions this week 1 Monday to Sunday. Your programme is paused until you have been seen." in text
    assert "Sessions this week 1 of 4" not in text


def test_no_red_flag_box_without_red_flags(patient_client, rehab_data):
    assert "Act on this today" not in pdf_text(patient_client.get(URL).content)


@pytest.mark.django_db
def test_build_report_takes_any_patient_for_the_admin(rehab_data):
    """The admin builds a physio's patient's report without a request."""
    other = PatientFactory(first_name="Olga", last_name="Other")
    body = build_report(rehab_data, options=ChartOptions(range_key="all"), today=TODAY)
    text = pdf_text(body)
    assert "Anna Example" in text and "All records up to" in text
    assert "refer to a doctor" not in text
    assert "Nothing to report yet" in pdf_text(build_report(other, options=ChartOptions(), today=TODAY))


def test_an_unknown_side_compares_the_smaller_calf(patient_client, patient):
    set_profile(patient, affected_side="unknown")
    measure(patient, 30, "37.0", "35.0")
    measure(patient, 1, "37.2", "34.0")
    text = pdf_text(patient_client.get(URL).content)
    assert "Right (smaller) calf since the first measurement" in text
    assert "-1.0 cm" in text and "a real change" in text
    assert "(involved)" not in text
