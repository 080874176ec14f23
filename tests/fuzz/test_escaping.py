"""HTML typed into a note is shown escaped everywhere: her pages, the admin, the CSV and the PDF.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from hypothesis import given

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PhysioNoteFactory,
    SymptomLogFactory,
)
from tests.fuzz.common import (
    FUZZ,
    SCRIPT,
    assert_escaped,
    girth_baseline,
    heel_baseline,
    logged_in,
    page,
    session_baseline,
    texts,
    today,
)
from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    SymptomLog,
)


@pytest.fixture
def hostile_records(patient, physio):
    """Her records with HTML in every free-text field, entered through her own forms."""
    patient.profile.physio = physio
    patient.profile.save()
    client = logged_in(patient)
    day = today() - datetime.timedelta(days=1)
    posts = [
        ("measurement_new", [], {**girth_baseline(), "date": day.isoformat(), "notes": SCRIPT}),
        ("heel_rise_new", [], {**heel_baseline(), "date": day.isoformat(), "notes": SCRIPT}),
        ("session_new", [], {**session_baseline(), "notes": SCRIPT}),
        ("symptom_day", [day.isoformat()], {"pain_at_rest": "2", "night_cramps": "0", "notes": SCRIPT}),
        ("profile", [], {"affected_side": "left", "condition": SCRIPT[:200], "unit": "cm", "target_lsi": "90",
                         "first_name": SCRIPT[:150], "last_name": "", "email": ""}),
    ]
    for name, args, data in posts:
        response = client.post(reverse(name, args=args), data)
        assert response.status_code == 302, f"{name}: {response.status_code}"
    note = PhysioNoteFactory(patient=patient, author=physio, text=SCRIPT, visible_to_patient=True)
    return {
        "girth": GirthMeasurement.objects.get(patient=patient),
        "heel_rise": HeelRiseTest.objects.get(patient=patient),
        "session": ExerciseSession.objects.get(patient=patient),
        "symptoms": SymptomLog.objects.get(patient=patient),
        "note": note,
        "day": day,
    }


def test_html_is_escaped_in_her_pages(patient, hostile_records):
    client = logged_in(patient)
    records = hostile_records
    for url in (
        reverse("measurement_edit", args=[records["girth"].pk]),
        reverse("heel_rise_edit", args=[records["heel_rise"].pk]),
        reverse("session_detail", args=[records["session"].pk]),
        reverse("session_edit", args=[records["session"].pk]),
        reverse("symptom_day", args=[records["day"].isoformat()]),
        reverse("dashboard"),  # her physio's note and her condition
    ):
        assert_escaped(page(client, url))
    for url in (reverse("measurement_list"), reverse("heel_rise_list"), reverse("session_list"),
                reverse("symptom_list"), reverse("profile")):
        html = page(client, url)
        assert SCRIPT not in html and "<script>alert" not in html


def test_html_is_escaped_in_the_admin(physio, hostile_records):
    client = logged_in(physio)
    records = hostile_records
    profile = records["girth"].patient.profile
    for url in (
        reverse("admin:tracker_girthmeasurement_change", args=[records["girth"].pk]),
        reverse("admin:tracker_heelrisetest_change", args=[records["heel_rise"].pk]),
        reverse("admin:tracker_exercisesession_change", args=[records["session"].pk]),
        reverse("admin:tracker_symptomlog_change", args=[records["symptoms"].pk]),
        reverse("admin:tracker_physionote_change", args=[records["note"].pk]),
        reverse("admin:tracker_patientprofile_change", args=[profile.pk]),  # the review with its inlines
    ):
        assert_escaped(page(client, url))
    lists = ("admin:tracker_patientprofile_changelist", "admin:tracker_physionote_changelist", "admin:index")
    for url in map(reverse, lists):
        html = page(client, url)
        assert "<script>alert" not in html


def test_hostile_programme_template_is_escaped_in_the_admin_message(physio, hostile_records):
    profile = hostile_records["girth"].patient.profile
    url = reverse("admin:tracker_patientprofile_programme", args=[profile.pk])
    response = logged_in(physio).post(url, {"template": SCRIPT, "start_date": "0000-00-00"}, follow=True)
    assert response.status_code == 200
    assert "No programme added" in response.content.decode()
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    "name", ["export_measurements", "export_heel_rise", "export_sessions", "export_symptoms"]
)
def test_csv_exports_are_downloads_with_formulas_neutralised(patient, hostile_records, name):
    earlier = today() - datetime.timedelta(days=9)
    GirthMeasurementFactory(patient=patient, date=earlier, notes="=cmd|' /C calc'!A0")
    HeelRiseTestFactory(patient=patient, date=earlier, notes="+SUM(1,1)")
    ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient, notes="@A1"))
    SymptomLogFactory(patient=patient, date=earlier, notes="-2+3")
    response = logged_in(patient).get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed and rendered as HTML
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert SCRIPT in cells  # kept as she typed it: a CSV is data, not a page
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") or cell.startswith("-2")]
    assert {"'=cmd|' /C calc'!A0", "'+SUM(1,1)", "'@A1", "'-2+3"} & set(cells)


def test_pdf_report_prints_html_as_text(patient, hostile_records):
    from pypdf import PdfReader

    response = logged_in(patient).get(reverse("report"))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "<script>alert" in text  # printed literally: escaped before reportlab's markup parser


@FUZZ
@given(note=texts, condition=texts.map(lambda text: text[:200]))
def test_pdf_report_survives_hostile_text(patient, physio, note, condition):
    PhysioNote.objects.filter(patient=patient).delete()
    # Text as stored (the forms refuse NUL, which PostgreSQL cannot store anyway).
    PhysioNoteFactory(patient=patient, author=physio, text=note.replace("\x00", ""), visible_to_patient=True)
    PatientProfile.objects.filter(user=patient).update(condition=condition.replace("\x00", ""))
    response = logged_in(patient).get(reverse("report"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
