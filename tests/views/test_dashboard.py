"""The dashboard: headline numbers worded as real change vs measurement error, flags, notes, charts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from tests.helpers import text_of
from tracker.charts.data import CHART_NAMES
from tracker.models import PhysioNote, User

TODAY = timezone.localdate


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def test_it_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


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


def test_ticked_warning_symptom_is_shown(patient_client, patient):
    SymptomLogFactory(patient=patient, date=days_ago(0), flag_numbness=True)
    assert "urgent medical care" in text_of(patient_client.get("/"))


def test_pain_above_five_breaks_the_monitoring_rules(patient_client, patient):
    session = ExerciseSessionFactory(
        patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1), pain_before=2, pain_after=7
    )
    ExerciseEntryFactory(session=session, pain_during=6)
    text = text_of(patient_client.get("/"))
    assert "7 /10" in text
    assert "Pain-monitoring rules kept" not in text


def test_sessions_this_week_and_adherence(patient_client, patient):
    PrescriptionFactory(patient=patient, times_per_week=7, start_date=days_ago(30))
    for n in range(7):
        session = ExerciseSessionFactory(
            patient=patient, performed_at=timezone.now() - datetime.timedelta(days=n)
        )
        ExerciseEntryFactory(session=session, exercise=patient.prescriptions.first().exercise)
    text = text_of(patient_client.get("/"))
    assert "Adherence, last 14 days: 50%" in text
    assert "(7 of 14.0 sessions)" in text


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
    from tests.views.test_charts import make_history

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
    text = text_of(client.get("/?range=all"))
    girth = re.search(r"LSI (\d+\.\d)% → (\d+\.\d)%", text)
    assert 89.5 <= float(girth.group(1)) <= 92.0
    assert 94.0 <= float(girth.group(2)) <= 96.0
    heel = re.search(r"LSI (\d+\.\d)% → (\d+\.\d)%\.", text[text.index("Heel-rise symmetry") :])
    assert 43.0 <= float(heel.group(1)) <= 46.0
    assert 76.0 <= float(heel.group(2)) <= 80.0
    assert "a real change" in text
