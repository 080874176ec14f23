"""/api/v1/questionnaires/: her results with instrument code and score, what is due, submitting one."""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import error_messages, token_client
from tests.factories import PatientFactory, QuestionnaireAssignmentFactory, QuestionnaireResponseFactory
from tracker.models import QuestionnaireResponse

pytestmark = pytest.mark.django_db

URL = "/api/v1/questionnaires/"
DUE = "/api/v1/questionnaires/due/"
TODAY = timezone.localdate()
ALL_THREES = {f"q{n}": 3 for n in range(1, 21)}


def test_results_carry_the_instrument_code_and_the_score(api, patient):
    month_ago = timezone.now() - datetime.timedelta(days=30)
    QuestionnaireResponseFactory(patient=patient, score=40, submitted_at=month_ago)
    QuestionnaireResponseFactory(patient=patient, submitted_at=None, score=None)  # a draft: not a result
    QuestionnaireResponseFactory(patient=PatientFactory(), score=12)  # not hers

    body = api.get(URL).json()

    assert body["count"] == 1
    [result] = body["results"]
    assert (result["instrument"], result["version"]) == ("LEFS", "1")
    assert (result["score"], result["max_score"]) == (40, 80)
    assert result["answers"]["q1"] == 2
    assert api.get(f"{URL}{result['id']}/").json()["score"] == 40


def test_due_lists_the_items_and_the_values_to_send(api, patient):
    QuestionnaireAssignmentFactory(patient=patient, instrument="VISA-A", start_date=TODAY)

    [due] = api.get(DUE).json()

    assert (due["instrument"], due["due_date"], due["started"]) == ("VISA-A", TODAY.isoformat(), False)
    assert len(due["items"]) == 8
    question_8 = due["items"][7]
    assert [o["value"] for o in question_8["options"]][:2] == ["A:nil", "A:1-10"]
    assert question_8["options"][4] == {"value": "A:over-30", "label": ">30 mins", "points": 30,
                                        "group": question_8["options"][4]["group"]}
    assert question_8["options"][4]["group"].startswith("A. If you have no pain")


def test_submit_scores_as_published(api, patient):
    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)

    response = api.post(URL, {"instrument": "LEFS", "answers": ALL_THREES}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["instrument"], body["score"], body["not_scored_reason"]) == ("LEFS", 60, "")
    assert api.get(DUE).json() == []


def test_submit_with_a_missing_item_keeps_it_without_a_score(api, patient):
    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)

    body = api.post(URL, {"instrument": "LEFS", "answers": {**ALL_THREES, "q5": None}}, format="json").json()

    assert body["score"] is None
    assert body["not_scored_reason"].startswith("Activity 5 was not answered")


@pytest.mark.parametrize(
    ("answers", "message"),
    [({"q1": 5}, "Not an answer to activity 1"), ({"q1": "3"}, "Not an answer to activity 1"),
     ({"q40": 1}, "LEFS has no item 'q40'.")],
)
def test_answers_are_validated_by_the_same_code_as_the_web_form(api, patient, answers, message):
    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)

    response = api.post(URL, {"instrument": "LEFS", "answers": answers}, format="json")

    assert response.status_code == 400
    assert any(message in m for m in error_messages(response, "answers"))
    assert not QuestionnaireResponse.objects.exists()


def test_nothing_can_be_submitted_when_nothing_is_due(api):
    response = api.post(URL, {"instrument": "LEFS", "answers": ALL_THREES}, format="json")
    assert response.status_code == 400
    assert error_messages(response, "instrument") == ["No LEFS questionnaire is due for you today."]
    assert api.post(URL, {"instrument": "KOOS", "answers": {}}, format="json").status_code == 400
    assert api.post(URL, {"instrument": "LEFS", "answers": [1, 2]}, format="json").status_code == 400


def test_her_physio_reads_but_does_not_submit(physio_api, patient):
    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)
    QuestionnaireResponseFactory(patient=patient, score=40)

    assert physio_api.get(f"{URL}?patient={patient.pk}").json()["count"] == 1
    assert len(physio_api.get(f"{DUE}?patient={patient.pk}").json()) == 1
    data = {"instrument": "LEFS", "answers": ALL_THREES}
    response = physio_api.post(f"{URL}?patient={patient.pk}", data, format="json")
    assert response.status_code == 403


def test_another_patient_sees_neither_her_results_nor_what_is_due_for_her(patient):
    result = QuestionnaireResponseFactory(patient=patient, score=40)
    QuestionnaireAssignmentFactory(patient=patient, start_date=TODAY)
    stranger = token_client(PatientFactory())

    assert stranger.get(f"{URL}{result.pk}/").status_code == 404
    assert stranger.get(URL).json()["count"] == 0
    assert stranger.get(DUE).json() == []
