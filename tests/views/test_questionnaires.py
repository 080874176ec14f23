"""The patient's questionnaire pages: due list, one question per screen, review, submit, result."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PhysioFactory, QuestionnaireAssignmentFactory, QuestionnaireResponseFactory
from tests.helpers import text_of
from tracker.models import QuestionnaireResponse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("questionnaire_list")


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def question_url(response, number: int) -> str:
    return reverse("questionnaire_question", kwargs={"pk": response.pk, "number": number})


@pytest.fixture
def lefs_due(patient):
    return QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)


@pytest.fixture
def draft(patient_client, lefs_due):
    patient_client.post(reverse("questionnaire_start", args=[lefs_due.pk]))
    return QuestionnaireResponse.objects.get(assignment=lefs_due)


def test_dashboard_card_only_when_one_is_due(patient_client, patient):
    assert "Questionnaires</h2>" not in patient_client.get("/").content.decode()

    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)
    page = patient_client.get("/").content.decode()

    assert 'id="card-questionnaires">Questionnaires</h2>' in page
    assert "Start LEFS" in page


def test_with_nothing_due_the_list_says_who_decides(patient_client, patient):
    """A patient who signed up herself has no physiotherapist yet to ask her."""
    page = text_of(patient_client.get(LIST))
    assert ("Nothing to fill in now. No physiotherapist is assigned to you yet; once your clinic assigns "
            "one, she decides when you are asked.") in page
    patient.profile.physio = PhysioFactory()
    patient.profile.save()
    page = text_of(patient_client.get(LIST))
    assert "Nothing to fill in now. Your physiotherapist decides when you are asked." in page


def test_list_shows_what_is_due_and_her_results(patient_client, patient, lefs_due):
    QuestionnaireResponseFactory(patient=patient, score=40, submitted_at=days_ago(30))
    page = patient_client.get(LIST).content.decode()

    assert "Lower Extremity Functional Scale (LEFS)" in page
    assert "20 activities, about 3 minutes" in page
    assert "Latest score: <strong>40 / 80</strong>" in page
    assert reverse("questionnaire_chart", args=["lefs", "svg"]) in page
    assert "Binkley JM" in page and "Robinson JM" in page  # the citations, in the footer
    assert "Since your first score" not in page  # one score: nothing to compare yet
    assert "Due today ·" in page and "Due since" not in page


def test_one_due_on_an_earlier_day_says_since_when(patient_client, patient):
    started = TODAY - datetime.timedelta(days=3)
    QuestionnaireAssignmentFactory(patient=patient, start_date=started)
    page = patient_client.get(LIST).content.decode()

    assert f"Due since {started.day} {started:%b %Y} ·" in page


def test_list_gives_the_change_since_the_first_score_with_the_mcid(patient_client, patient):
    QuestionnaireResponseFactory(patient=patient, score=31, submitted_at=days_ago(35))
    QuestionnaireResponseFactory(patient=patient, score=44, submitted_at=days_ago(7))
    QuestionnaireResponseFactory(patient=patient, instrument="VISA-A", score=52, submitted_at=days_ago(30))
    QuestionnaireResponseFactory(patient=patient, instrument="VISA-A", score=58, submitted_at=days_ago(2))
    page = patient_client.get(LIST).content.decode()

    first = timezone.localtime(days_ago(35)).date()
    assert (
        f"Since your first score (31 on {first.day} {first:%b %Y}): "
        "+13 points, a clinically important change (9 points or more)."
    ) in page
    assert "+6 points, less than the 15 points of a clinically important change." in page


def test_start_opens_question_1_and_again_carries_on_where_she_stopped(patient_client, lefs_due):
    response = patient_client.post(reverse("questionnaire_start", args=[lefs_due.pk]))
    draft = QuestionnaireResponse.objects.get()
    assert response.url == question_url(draft, 1)

    patient_client.post(question_url(draft, 1), {"answer": "3", "go": "later"})
    response = patient_client.post(reverse("questionnaire_start", args=[lefs_due.pk]))

    assert response.url == question_url(draft, 2)
    assert QuestionnaireResponse.objects.count() == 1


def test_a_question_page_says_where_she_is(patient_client, draft):
    page = patient_client.get(question_url(draft, 3)).content.decode()

    assert "Question 3 of 20" in page
    assert '<progress class="q-progress" max="20" value="3"' in page
    assert "Getting into or out of the bath." in page
    assert page.count('type="radio"') == 5
    assert "<script" not in page.split("<main")[1].split("</main>")[0]  # plain form, no script needed


def test_next_back_and_skip_keep_every_answer(patient_client, draft):
    def post(number: int, data: dict) -> str:
        return patient_client.post(question_url(draft, number), data).url

    assert post(1, {"answer": "4", "go": "next"}) == question_url(draft, 2)
    assert post(2, {"answer": "1", "go": "back"}) == question_url(draft, 1)
    page = patient_client.get(question_url(draft, 1)).content.decode()
    assert 'value="4" checked' in page

    assert patient_client.post(question_url(draft, 2), {"go": "skip"}).url == question_url(draft, 3)
    draft.refresh_from_db()
    assert draft.answers == {"q1": 4}


def test_next_without_an_answer_asks_to_choose_or_skip(patient_client, draft):
    response = patient_client.post(question_url(draft, 1), {"go": "next"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an answer, or press “Skip this question”." in page
    assert 'aria-describedby="answer-error"' in page


@pytest.mark.parametrize("value", ["5", "-1", "x", "4.0"])
def test_a_posted_value_that_is_not_an_option_is_refused(patient_client, draft, value):
    response = patient_client.post(question_url(draft, 1), {"answer": value, "go": "next"})

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.answers == {}


def test_the_last_question_leads_to_the_check_page(patient_client, draft):
    response = patient_client.post(question_url(draft, 20), {"answer": "2", "go": "next"})
    assert response.url == reverse("questionnaire_review", args=[draft.pk])
    assert patient_client.get(question_url(draft, 21)).status_code == 404
    assert patient_client.get(question_url(draft, 0)).status_code == 404


def test_check_page_names_the_unanswered_and_submit_scores(patient_client, draft):
    for number in range(1, 21):
        patient_client.post(question_url(draft, number), {"answer": "3", "go": "next"})
    patient_client.post(question_url(draft, 7), {"go": "skip"})

    page = patient_client.get(reverse("questionnaire_review", args=[draft.pk])).content.decode()
    assert "Activity 7 was not answered" in page
    assert page.count("Not answered") == 1

    patient_client.post(question_url(draft, 7), {"answer": "1", "go": "next"})
    response = patient_client.post(reverse("questionnaire_submit", args=[draft.pk]))

    assert response.url == reverse("questionnaire_result", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.score == 58 and draft.submitted_at is not None
    page = patient_client.get(response.url).content.decode()
    assert '<p class="q-score mb-1">58' in page
    assert "Out of 80: the higher the score, the less difficulty" in page


def test_result_shows_the_change_since_the_first_and_the_mcid(patient_client, patient, draft):
    QuestionnaireResponseFactory(patient=patient, score=40, submitted_at=days_ago(60))
    for number in range(1, 21):
        patient_client.post(question_url(draft, number), {"answer": "3", "go": "next"})
    patient_client.post(reverse("questionnaire_submit", args=[draft.pk]))

    page = patient_client.get(reverse("questionnaire_result", args=[draft.pk])).content.decode()

    assert "+20 points, a clinically important change (9 points or more)" in page
    assert "Show the numbers as a table" in page


def test_a_form_that_cannot_be_scored_says_why(patient_client, draft):
    patient_client.post(question_url(draft, 1), {"answer": "3", "go": "next"})
    patient_client.post(reverse("questionnaire_submit", args=[draft.pk]))

    page = patient_client.get(reverse("questionnaire_result", args=[draft.pk])).content.decode()

    assert "No score: 19 activities were not answered" in page
    assert "q-score" not in page


def test_submitted_answers_are_final(patient_client, draft):
    patient_client.post(reverse("questionnaire_submit", args=[draft.pk]))

    assert patient_client.get(question_url(draft, 1)).url == reverse("questionnaire_result", args=[draft.pk])
    patient_client.post(question_url(draft, 1), {"answer": "4", "go": "next"})
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_draft_has_no_result_page_yet(patient_client, draft):
    response = patient_client.get(reverse("questionnaire_result", args=[draft.pk]))
    assert response.url == reverse("questionnaire_review", args=[draft.pk])


def test_another_patient_cannot_open_answer_or_submit_hers(client, other_patient, draft):
    client.force_login(other_patient)
    assert client.get(question_url(draft, 1)).status_code == 404
    assert client.post(question_url(draft, 1), {"answer": "4"}).status_code == 404
    assert client.post(reverse("questionnaire_submit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("questionnaire_start", args=[draft.assignment_id])).status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {} and draft.submitted_at is None


def test_start_of_a_questionnaire_not_due_is_404(patient_client, patient):
    later = QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY + datetime.timedelta(days=3))
    assert patient_client.post(reverse("questionnaire_start", args=[later.pk])).status_code == 404


def test_chart_is_an_svg_never_kept_by_a_shared_cache(patient_client, patient):
    for days in (60, 30):
        QuestionnaireResponseFactory(patient=patient, submitted_at=days_ago(days))
    response = patient_client.get(reverse("questionnaire_chart", args=["lefs", "svg"]))

    assert response["Content-Type"] == "image/svg+xml"
    assert "private" in response["Cache-Control"]
    assert b"LEFS score" in response.content
    assert patient_client.get(reverse("questionnaire_chart", args=["koos", "svg"])).status_code == 404
    assert patient_client.get(reverse("questionnaire_chart", args=["lefs", "gif"])).status_code == 404


def test_the_chart_has_a_narrower_phone_drawing_offered_to_small_screens(patient_client, patient):
    import xml.etree.ElementTree as ET

    for weeks in (8, 4):
        submitted = timezone.now() - datetime.timedelta(weeks=weeks)
        QuestionnaireResponseFactory(patient=patient, submitted_at=submitted)
    url = reverse("questionnaire_chart", args=["lefs", "svg"])
    widths = [float(ET.fromstring(patient_client.get(url + query).content).get("width").removesuffix("pt"))
              for query in ("", "?size=phone")]
    assert widths[1] < widths[0]
    page = patient_client.get(reverse("questionnaire_list")).content.decode()
    assert f'srcset="{url}?size=phone"' in page
