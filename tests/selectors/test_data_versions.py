"""tracker/selectors/versions.py: each chart's stamp changes whenever its drawing changes.

A chart is kept in the cache under its own stamp (CHART_PARTS: only the records it draws), so a
check-in leaves her girth chart cached. The danger is a stamp that misses a record its chart draws:
an old picture served as current. Each test here makes one kind of change and checks, chart by chart
and at two ranges, that a stamp left unchanged means the same picture, summary and table.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)
from tests.views.test_charts import make_history
from tracker.charts import data as chart_data
from tracker.models import GirthMeasurement, Prescription, SymptomLog, User
from tracker.selectors import versions

pytestmark = pytest.mark.django_db

OPTIONS = (chart_data.ChartOptions(), chart_data.ChartOptions(range_key="all"))


def drawings(patient: User) -> dict[str, tuple]:
    """Every chart as she would see it: per range, its summary, table and SVG."""
    patient = User.objects.select_related("profile").get(pk=patient.pk)
    today = timezone.localdate()
    found = {}
    for name in chart_data.CHART_NAMES:
        charts = [chart_data.build(name, patient, patient.profile, options, today) for options in OPTIONS]
        found[name] = tuple((c.summary, c.rows, c.render("svg")) for c in charts)
    return found


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def add_girth(patient):
    GirthMeasurementFactory(patient=patient, date=timezone.localdate(), left_1=Decimal("35.5"))


def edit_girth(patient):
    measurement = GirthMeasurement.objects.filter(patient=patient).latest("date")
    measurement.left_1 = Decimal("36.4")
    measurement.save()


def delete_girth(patient):
    GirthMeasurement.objects.filter(patient=patient).latest("date").delete()


def add_heel_rise(patient):
    HeelRiseTestFactory(patient=patient, date=timezone.localdate(), reps_left=21)


def add_session(patient):
    ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient, performed_at=timezone.now(),
                                                        pain_after=6), reps=20)


def add_entry_to_a_session(patient):
    ExerciseEntryFactory(session=patient.exercise_sessions.latest("performed_at"), side="right", reps=30)


def add_check_in(patient):
    SymptomLogFactory(patient=patient, date=timezone.localdate(), pain_at_rest=6, night_cramps=4)


def edit_check_in(patient):
    log = SymptomLog.objects.filter(patient=patient).latest("date")
    log.pain_next_morning = 7
    log.save()


def add_prescription(patient):
    PrescriptionFactory(patient=patient, start_date=yesterday(), sets=4, reps=10)


def edit_prescription(patient):
    prescription = Prescription.objects.filter(patient=patient).latest("pk")
    prescription.reps = 25
    prescription.save()


def change_profile(patient):
    profile = patient.profile
    profile.affected_side, profile.unit, profile.target_lsi, profile.sex = "right", "in", Decimal("95"), "M"
    profile.save()


CHANGES = [add_girth, edit_girth, delete_girth, add_heel_rise, add_session, add_entry_to_a_session,
           add_check_in, edit_check_in, add_prescription, edit_prescription, change_profile]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_chart_whose_stamp_stays_is_drawn_the_same(change):
    patient = PatientFactory()
    make_history(patient, 6)
    stamps, pictures = versions.data_versions(patient), drawings(patient)
    change(User.objects.select_related("profile").get(pk=patient.pk))
    stamps_after, pictures_after = versions.data_versions(patient), drawings(patient)

    redrawn = {name for name in chart_data.CHART_NAMES if pictures_after[name] != pictures[name]}
    restamped = {name for name in chart_data.CHART_NAMES if stamps_after[name] != stamps[name]}
    assert redrawn, f"{change.__name__} should change at least one chart"
    assert redrawn <= restamped, f"stale: {sorted(redrawn - restamped)} changed with the same stamp"
    assert stamps_after[versions.ALL] != stamps[versions.ALL]  # the dashboard's stamp: any change


def test_a_check_in_leaves_the_measurement_and_volume_charts_cached():
    """The pain chart draws check-ins; the adherence chart shows whether a ticked warning sign pauses
    the programme."""
    patient = PatientFactory()
    make_history(patient, 3)
    before = versions.data_versions(patient)
    add_check_in(patient)
    after = versions.data_versions(patient)
    assert {name for name in chart_data.CHART_NAMES if after[name] != before[name]} == {"pain", "adherence"}


def test_a_new_day_changes_every_stamp(monkeypatch):
    """Ranges end today: every chart and the dashboard are worked out again the next day."""
    patient = PatientFactory()
    make_history(patient, 2)
    today = versions.data_versions(patient)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date.today() + datetime.timedelta(1))
    tomorrow = versions.data_versions(patient)
    assert all(tomorrow[key] != today[key] for key in today)


def test_every_chart_has_its_parts_and_stamps_are_per_patient():
    assert set(versions.CHART_PARTS) == set(chart_data.CHART_NAMES)
    assert all(set(parts) <= set(versions.PARTS) for parts in versions.CHART_PARTS.values())
    one, two = PatientFactory(), PatientFactory()
    make_history(one, 2)
    assert versions.data_versions(one)["girth"] != versions.data_versions(two)["girth"]
