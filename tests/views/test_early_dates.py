""""Did you mean 2026?" (issue 19, defect 1): a date more than a year before her first record is
more likely a typo (1926 for 2026) than history. Every form asks before saving it; ticking "Yes,
this date is right" saves it as typed (the girth form's re-measure pattern)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import GirthMeasurementFactory, exercise
from tracker import metrics
from tracker.models import ExerciseSession, GirthMeasurement, HeelRiseTest, SymptomLog

TODAY = timezone.localdate()
FIRST = TODAY - datetime.timedelta(days=60)
TYPO = FIRST.replace(year=FIRST.year - 100)


@pytest.fixture
def first_record(patient):
    return GirthMeasurementFactory(patient=patient, date=FIRST, site="max")


def girth(day, **extra):
    return {"date": day.isoformat(), "site": "tt10", "left_1": "34.2", "right_1": "37.6",
            "measured_by": "self", "notes": "", **extra}


def heel_rise(day, **extra):
    return {"date": day.isoformat(), "reps_left": "12", "reps_right": "25", "incline": "10", "notes": "",
            **extra}


def session(day, **extra):
    calf_raise = exercise("single-leg-calf-raise")
    return {
        "performed_at": f"{day.isoformat()}T18:30", "duration_minutes": "30", "pain_before": "",
        "pain_after": "", "rpe": "", "notes": "", "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "30", "entries-0-exercise": str(calf_raise.pk),
        "entries-0-side": "left", "entries-0-sets": "3", "entries-0-reps": "12", "entries-0-load_kg": "",
        "entries-0-pain_during": "", **extra,
    }


def new_records(model, patient, first_record):
    records = model.objects.filter(patient=patient)
    return records.exclude(pk=first_record.pk) if model is GirthMeasurement else records


FORMS = {
    "girth": (reverse("measurement_new"), girth, GirthMeasurement, "date"),
    "heel rise": (reverse("heel_rise_new"), heel_rise, HeelRiseTest, "date"),
    "session": (reverse("session_new"), session, ExerciseSession, "performed_at"),
}


def question(day: datetime.date, first: datetime.date) -> str:
    return (f"{day.day} {day:%b %Y} is more than a year before your first record "
            f"({first.day} {first:%b %Y}). "
            f"Did you mean {metrics.likely_meant(day, today=TODAY).year}?")


@pytest.mark.parametrize("name", FORMS)
def test_a_date_a_century_before_her_first_record_is_questioned(patient_client, patient, first_record, name):
    url, data, model, field = FORMS[name]

    response = patient_client.post(url, data(TYPO))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert question(TYPO, FIRST) in errors
    html = response.content.decode()
    assert 'type="checkbox" name="date_confirmed"' in html or 'name="date_confirmed" type="checkbox"' in html
    assert "Yes, this date is right" in html
    assert not new_records(model, patient, first_record).exists()


@pytest.mark.parametrize("name", FORMS)
def test_ticking_yes_saves_the_date_as_typed(patient_client, patient, first_record, name):
    url, data, model, field = FORMS[name]

    response = patient_client.post(url, data(TYPO, date_confirmed="on"))

    assert response.status_code == 302
    saved = new_records(model, patient, first_record).get()
    value = getattr(saved, field)
    assert (timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value) == TYPO


@pytest.mark.parametrize("name", FORMS)
def test_a_date_within_a_year_of_her_first_record_is_not_questioned(patient_client, first_record, name):
    url, data, model, field = FORMS[name]
    response = patient_client.post(url, data(FIRST - datetime.timedelta(days=300)))
    assert response.status_code == 302


def test_without_any_record_the_year_before_today_counts(patient_client, patient):
    long_ago = TODAY - datetime.timedelta(days=400)
    response = patient_client.post(reverse("measurement_new"), girth(long_ago))
    errors = " ".join(response.context["form"].errors["date"])
    assert f"{long_ago.day} {long_ago:%b %Y} is more than a year before today." in errors
    recent = girth(TODAY - datetime.timedelta(days=300))
    assert patient_client.post(reverse("measurement_new"), recent).status_code == 302


def test_a_check_in_for_a_day_long_ago_is_questioned(patient_client, patient, first_record):
    url = reverse("symptom_day", kwargs={"day": TYPO.isoformat()})
    data = {"pain_at_rest": "1", "pain_next_morning": "2", "stiffness": "", "night_cramps": "0", "notes": ""}

    response = patient_client.post(url, data)

    assert response.status_code == 200
    assert question(TYPO, FIRST) in " ".join(response.context["form"].non_field_errors())
    assert question(TYPO, FIRST) in response.content.decode()
    assert not SymptomLog.objects.exists()
    assert patient_client.post(url, {**data, "date_confirmed": "on"}).status_code == 302
    assert SymptomLog.objects.get().date == TYPO


def test_editing_an_old_record_without_changing_its_date_is_not_questioned(patient_client, patient,
                                                                            first_record):
    old = GirthMeasurementFactory(patient=patient, date=TYPO, site="tt10")
    response = patient_client.post(reverse("measurement_edit", args=[old.pk]), girth(TYPO, notes="edited"))
    assert response.status_code == 302


@pytest.mark.parametrize(("day", "meant"), [
    (datetime.date(1926, 3, 14), datetime.date(2026, 3, 14)),
    (datetime.date(1926, 12, 31), datetime.date(2025, 12, 31)),
    (datetime.date(1904, 2, 29), datetime.date(2026, 2, 28)),
])
def test_the_likely_meant_year(day, meant):
    assert metrics.likely_meant(day, today=datetime.date(2026, 6, 1)) == meant


def test_the_rule():
    today = datetime.date(2026, 6, 1)
    first = datetime.date(2026, 1, 10)
    assert metrics.implausibly_early(datetime.date(2025, 1, 9), first_record=first, today=today)
    assert not metrics.implausibly_early(datetime.date(2025, 1, 10), first_record=first, today=today)
    assert metrics.implausibly_early(datetime.date(2025, 5, 31), first_record=None, today=today)
