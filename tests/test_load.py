"""bench/load.py stays in step with the forms it posts (so `make load` cannot rot); its report adds up."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bench import load
from bench.load import CHECK_IN_FORM, Sample, measurement_form, session_form
from tracker.models import ExerciseEntry, ExerciseSession, GirthMeasurement, SymptomLog


def test_the_load_test_forms_are_accepted(patient_client, patient):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    exercises = load.load_exercises()
    assert len(exercises) == 2
    assert {field for _, field in exercises} == {"reps", "hold_seconds"}

    response = patient_client.post(
        reverse("session_new"), session_form(timezone.now() - datetime.timedelta(hours=1), exercises)
    )
    session = ExerciseSession.objects.get(patient=patient)
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert ExerciseEntry.objects.filter(session=session).count() == 2

    response = patient_client.post(reverse("measurement_new"), measurement_form(yesterday))
    assert response["Location"] == reverse("measurement_list")
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1

    response = patient_client.post(reverse("symptom_day", args=[yesterday]), CHECK_IN_FORM)
    assert response["Location"] == reverse("symptom_list")
    assert SymptomLog.objects.filter(patient=patient).count() == 1


def test_percentile_and_report():
    assert load.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert load.percentile(list(map(float, range(1, 101))), 0.95) == 95.0
    samples = [
        Sample("dashboard", 0.1, True),
        Sample("dashboard", 0.3, True),
        Sample("chart", 0.2, False, "HTTP 500"),
    ]

    lines, p95, errors = load.report(samples, seconds=2.0)

    assert errors == 1
    assert p95 == 300.0
    assert "| dashboard | 2 | 1.0 | 200 | 300 | 300 | 0 |" in lines
    assert "| chart | 1 | 0.5 | 200 | 200 | 200 | 1 |" in lines
    assert lines[-1].startswith("| **all** | 3 | 1.5 |")
