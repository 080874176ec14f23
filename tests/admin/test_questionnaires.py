"""Questionnaires for the physio: assign with a schedule, her scores and answers on the review page,
the caseload column (its query count does not grow with the patients)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    PhysioFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
)
from tests.helpers import make_patient, text_of
from tracker.admin.questionnaires import caseload_text
from tracker.models import QuestionnaireAssignment
from tracker.selectors.questionnaires import summaries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CASELOAD = "/admin/tracker/patientprofile/"
VISA_ANSWERS = {"q1": 6, "q2": 5, "q3": 7, "q4": 8, "q5": 6, "q6": 4, "q7": 4, "q8": "B:11-20"}  # 50


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="physio_q")


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


@pytest.fixture
def maya(physio):
    return make_patient(physio, username="maya", first_name="Maya")


def url(patient, view: str, *args) -> str:
    return reverse(f"admin:tracker_patientprofile_{view}", args=[patient.profile.pk, *args])


def test_assign_with_a_schedule_from_the_review_page(physio_client, physio, maya):
    page = physio_client.get(url(maya, "change")).content.decode()
    assert 'id="questionnaires-heading">Questionnaires</h2>' in page
    assert 'name="repeat_weeks" value="4"' in page  # every 4 weeks by default

    response = physio_client.post(
        url(maya, "questionnaire_assign"),
        {"instrument": "VISA-A", "start_date": TODAY.isoformat(), "repeat_weeks": "6"},
    )

    assert response.status_code == 302
    assignment = QuestionnaireAssignment.objects.get(patient=maya)
    assert (assignment.instrument, assignment.repeat_weeks, assignment.assigned_by) == ("VISA-A", 6, physio)
    page = text_of(physio_client.get(url(maya, "change")))
    assert "VISA-A questionnaire (Achilles tendon) from" in page and "then every 6 weeks" in page
    assert "Due today" in page and "Due since" not in page  # it starts today


def test_once_only_and_a_bad_schedule(physio_client, maya):
    data = {"instrument": "LEFS", "start_date": TODAY.isoformat(), "repeat_weeks": ""}
    physio_client.post(url(maya, "questionnaire_assign"), data)
    assert QuestionnaireAssignment.objects.get().repeat_weeks is None

    data["repeat_weeks"] = "0"
    response = physio_client.post(url(maya, "questionnaire_assign"), data, follow=True)
    assert "No questionnaire assigned" in text_of(response)
    assert QuestionnaireAssignment.objects.get().repeat_weeks is None


def test_stop(physio_client, maya):
    assignment = QuestionnaireAssignmentFactory(patient=maya)
    physio_client.post(url(maya, "questionnaire_stop", assignment.pk))
    assignment.refresh_from_db()
    assert not assignment.active
    assert physio_client.post(url(maya, "questionnaire_stop", assignment.pk)).status_code == 404


def test_overdue_by_a_week_is_shown(physio_client, maya):
    started = TODAY - datetime.timedelta(days=9)
    QuestionnaireAssignmentFactory(patient=maya, start_date=started)
    page = text_of(physio_client.get(url(maya, "change")))
    assert f"Due since {started.day} {started:%b %Y} — overdue by 9 days" in page


def test_review_shows_latest_score_change_chart_and_each_answer(physio_client, maya):
    QuestionnaireResponseFactory(patient=maya, instrument="VISA-A", answers=VISA_ANSWERS, score=50,
                                 submitted_at=days_ago(56))
    QuestionnaireResponseFactory(patient=maya, instrument="VISA-A", answers=VISA_ANSWERS, score=71,
                                 submitted_at=days_ago(1))

    response = physio_client.get(url(maya, "change"))
    page, text = response.content.decode(), text_of(response)

    assert "Latest score 71 / 100" in text
    assert "+21 points, a clinically important change (15 points or more)" in text
    assert url(maya, "questionnaire_chart", "visa-a", "svg") in page
    # On a phone the narrow drawing (the wide one shrank to text of about 5 px), served by the same URL.
    phone = url(maya, "questionnaire_chart", "visa-a", "svg") + "?size=phone"
    assert f'<source media="(max-width: 575.98px)" srcset="{phone}"' in page
    assert physio_client.get(phone).status_code == 200
    assert "Do you have pain walking downstairs with a normal gait cycle? 8" in text
    assert "B: 11-20 mins" in text


def test_chart_of_her_scores(physio_client, maya):
    QuestionnaireResponseFactory(patient=maya, submitted_at=days_ago(30))
    response = physio_client.get(url(maya, "questionnaire_chart", "lefs", "png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_another_physios_patient_is_out_of_reach(client, maya):
    assignment = QuestionnaireAssignmentFactory(patient=maya)
    client.force_login(PhysioFactory())
    data = {"instrument": "LEFS", "start_date": TODAY.isoformat(), "repeat_weeks": "4"}
    assert client.post(url(maya, "questionnaire_assign"), data).status_code == 404
    assert client.post(url(maya, "questionnaire_stop", assignment.pk)).status_code == 404
    assert client.get(url(maya, "questionnaire_chart", "lefs", "svg")).status_code == 404
    assignment.refresh_from_db()
    assert assignment.active and assignment.repeat_weeks == 4


def test_caseload_column(physio_client, physio, maya):
    QuestionnaireResponseFactory(patient=maya, score=40, submitted_at=days_ago(60))
    QuestionnaireResponseFactory(patient=maya, score=54, submitted_at=days_ago(2))
    other = make_patient(physio, username="nora", first_name="Nora")
    QuestionnaireResponseFactory(patient=other, score=40, submitted_at=days_ago(60))
    QuestionnaireResponseFactory(patient=other, score=45, submitted_at=days_ago(2))

    text = text_of(physio_client.get(CASELOAD))

    assert "LEFS 54: +14 since first (beats MCID 9)" in text
    assert "LEFS 45: +5 since first (within MCID 9)" in text


def test_caseload_text_of_one_or_no_score(maya):
    QuestionnaireResponseFactory(patient=maya, score=None, answers={}, submitted_at=days_ago(9))
    assert caseload_text(summaries(maya)[0]) == "LEFS: not scored"
    QuestionnaireResponseFactory(patient=maya, score=33, submitted_at=days_ago(2))
    assert caseload_text(summaries(maya)[0]) == "LEFS 33"


def test_caseload_query_count_does_not_grow_with_the_patients(physio_client, physio):
    def add(count: int) -> None:
        for _ in range(count):
            patient = make_patient(physio)
            QuestionnaireAssignmentFactory(patient=patient)
            QuestionnaireResponseFactory(patient=patient, score=40, submitted_at=days_ago(30))
            QuestionnaireResponseFactory(patient=patient, score=50, submitted_at=days_ago(2))

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert physio_client.get(CASELOAD).status_code == 200
        return len(context.captured_queries)

    add(3)
    with_3 = queries()
    add(20)
    assert queries() == with_3


def test_a_submitted_questionnaire_is_new_data_for_the_physio_a_draft_is_not(physio_client, physio, maya):
    physio_client.post(url(maya, "mark_reviewed"))
    QuestionnaireResponseFactory(patient=maya, submitted_at=None, score=None)

    def new_data() -> bool:
        [row] = physio_client.get(CASELOAD).context["cl"].result_list
        return row.new_data

    assert not new_data()
    QuestionnaireResponseFactory(patient=maya, submitted_at=timezone.now())
    assert new_data()
