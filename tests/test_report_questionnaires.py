"""The PDF report's questionnaire section: each instrument's scores, change and chart."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import GirthMeasurementFactory, QuestionnaireResponseFactory
from tests.test_report import pdf_text
from tracker.charts.data import ChartOptions
from tracker.report import build_report

pytestmark = pytest.mark.django_db


def report(patient) -> str:
    return pdf_text(build_report(patient, options=ChartOptions(), today=timezone.localdate()))


def test_the_report_lists_each_score_and_the_change_against_the_mcid(patient):
    GirthMeasurementFactory(patient=patient)
    for days, score in ((60, 38), (30, 44), (2, 56)):
        QuestionnaireResponseFactory(
            patient=patient, score=score, submitted_at=timezone.now() - datetime.timedelta(days=days)
        )
    QuestionnaireResponseFactory(patient=patient, submitted_at=None, score=None)  # a draft is left out

    text = report(patient)

    assert "Questionnaires" in text
    assert "LEFS score 56 of 80" in text
    assert "+18 points, a clinically important change (9 points or more)" in text
    assert "+6 points, less than the 9 points of a clinically important change" in text


def test_no_section_without_questionnaires(patient):
    GirthMeasurementFactory(patient=patient)
    assert "Questionnaires" not in report(patient)
