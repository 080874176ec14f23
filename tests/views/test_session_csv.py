"""The exercise-session CSV export: one row per exercise entry, only her own, oldest first."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ExerciseEntryFactory, ExerciseSessionFactory, exercise

EXPORT_URL = reverse("export_sessions")
HEADER = [
    "date", "time", "exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg",
    "pain_during", "pain_before", "pain_after", "rpe", "duration_minutes", "session_notes",
]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={EXPORT_URL}"


def test_empty_export_has_header_only(patient_client):
    response = patient_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="exercise-sessions.csv"' == response["Content-Disposition"]
    assert read_csv(response) == [HEADER]


def test_one_row_per_entry_oldest_first_only_hers(patient_client, patient, other_patient):
    performed = timezone.now() - datetime.timedelta(days=2)
    newer = ExerciseSessionFactory(
        patient=patient, performed_at=performed, pain_before=1, pain_after=4, rpe=7,
        duration_minutes=40, notes="Heavy day",
    )
    ExerciseEntryFactory(session=newer, exercise=exercise("heavy-slow-calf-raise"), side="left", sets=4,
                         reps=6, load_kg=Decimal("22.5"), pain_during=5)
    ExerciseEntryFactory(session=newer, exercise=exercise("soleus-stretch"), side="both", sets=3, reps=None,
                         hold_seconds=30, pain_during=None)
    older = ExerciseSessionFactory(patient=patient, performed_at=performed - datetime.timedelta(days=3))
    ExerciseEntryFactory(session=older, exercise=exercise("stationary-cycling"), side="both", sets=1,
                         reps=None, minutes=25, pain_during=1)
    theirs = ExerciseSessionFactory(patient=other_patient, notes="Olga")
    ExerciseEntryFactory(session=theirs)

    rows = read_csv(patient_client.get(EXPORT_URL))

    assert rows[0] == HEADER
    assert len(rows) == 4
    assert [row[2] for row in rows[1:]] == ["Stationary cycling", "Heavy slow calf raise", "Soleus stretch"]
    local = timezone.localtime(performed)
    assert rows[2] == [
        local.date().isoformat(), local.strftime("%H:%M"), "Heavy slow calf raise", "left", "4", "6", "",
        "", "22.5", "5", "1", "4", "7", "40", "Heavy day",
    ]
    assert rows[3][5:10] == ["", "30", "", "0.0", ""]
    assert rows[1][5:8] == ["", "", "25"]
    assert all("Olga" not in cell for row in rows for cell in row)


def test_notes_cannot_smuggle_a_formula(patient_client, patient):
    session = ExerciseSessionFactory(patient=patient, notes="=HYPERLINK(\"http://x\")")
    ExerciseEntryFactory(session=session)
    rows = read_csv(patient_client.get(EXPORT_URL))
    assert rows[1][-1] == "'=HYPERLINK(\"http://x\")"


def test_query_count_is_constant(patient_client, patient, django_assert_max_num_queries, settings):
    # The rate limit's own queries (the database cache's, on PostgreSQL) are not the export's.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}

    def add_sessions(n):
        for _ in range(n):
            ExerciseEntryFactory.create_batch(2, session=ExerciseSessionFactory(patient=patient))

    add_sessions(3)
    with django_assert_max_num_queries(10) as few:
        assert len(read_csv(patient_client.get(EXPORT_URL))) == 7
    add_sessions(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(read_csv(patient_client.get(EXPORT_URL))) == 61
