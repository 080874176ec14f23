"""Hostile input, property-based: every form a patient or physio posts, fed random and adversarial values.

For each form a valid baseline is posted with a few of its fields replaced by hostile values (NaN,
infinity, 1e309, huge and negative numbers, unicode with RTL marks and emoji, control characters and
NUL, 100 kB strings, HTML, impossible dates). Whatever arrives:

- the answer is never a 500: a redirect (saved) or the form again with its errors and what was typed;
- every row stored passes full_clean() (ranges, choices, dates and the model's constraints);
- HTML typed into a note is shown escaped, in the patient's pages, the admin, the CSV and the PDF.

Each example starts from a clean slate for the form under test (rows deleted or unique dates).
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from itertools import chain

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import AdminForm, InlineAdminFormSet
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, currently_in_test_context, event, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    SymptomLogFactory,
    exercise,
)
from tracker.models import (
    ApiToken,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)

FUZZ = fuzz_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
HUGE = "x" * 100_000

NUMBERS = [
    "", " ", "0", "-0", "+0", "-1", "1", "15", "15.0", "34.2", "34,2", "34.25", "80", "80.05", "200", "201",
    "600", "1e2", "3.4E+1", "1e309", "-1e309", "1e-400", "NaN", "nan", "-NaN", "sNaN", "inf", "-inf",
    "Infinity", "9" * 40, "-" + "9" * 40, "0x10", "1_000", "٣٤", "３４", "32767", "32768", "65536",
    "2147483648", "9223372036854775808", "-9223372036854775809", "12\x00", "\x00", "<script>", "1/2",
]
TEXTS = [
    "", "A plain note.", SCRIPT, "\x00", "note\x00with a NUL", "\u202eRTL override\u202c", "שלום עליכם",
    "مرحبا بالعالم", "🦵💪🏽👩‍⚕️", "\x07\x08\x1b[31m\x7f\x9f", "\r\n\r\n\t", HUGE, "<b>unclosed <i>tags",
    "=cmd|' /C calc'!A0", "+SUM(1,1)", "@A1", "-2+3", "' OR 1=1; DROP TABLE tracker_girthmeasurement; --",
    "{{ 7|add:7 }}{% debug %}", "%s%n%x", "\ufeffBOM", "\uffff\U0010ffff", "a" * 2001, "a" * 5001,
]
DATES = [
    "", "0000-00-00", "2026-02-30", "2023-02-29", "9999-12-31", "10000-01-01", "1800-01-01", "1899-12-31",
    "1900-01-01", "0001-01-01", "31/12/2020", "12/31/2020", "2020-13-01", "2020-00-10", "-2020-01-01",
    "20200101", "2020-1-1", "2020-01-01T00:00", "2020-01-01\x00", "٢٠٢٠-٠١-٠١", "NaN", SCRIPT,
]
DATETIMES = [
    *DATES, "2024-01-01T10:00", "9999-12-31T23:59", "0001-01-01T00:00", "2024-13-01T10:00",
    "2024-01-01T25:61", "2024-01-01 10:00:00", "1899-12-31T23:59", "1900-01-01T00:00", "2024-02-30T10:00",
]

numbers = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=10),
)
texts = st.one_of(st.sampled_from(TEXTS), st.text(max_size=300))
dates = st.one_of(
    st.sampled_from(DATES),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.text(max_size=12),
)
datetimes = st.one_of(
    st.sampled_from(DATETIMES),
    st.datetimes(min_value=datetime.datetime(1, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.text(max_size=16),
)
choices = st.one_of(st.sampled_from(["", "left", "right", "both", "in", "cm", "F", "on", SCRIPT]), texts)
booleans = st.sampled_from(["on", "", "true", "false", "0", "1", "\x00", SCRIPT])


def hostile(baseline: dict, fields: dict) -> st.SearchStrategy[dict]:
    """The baseline with up to three of its fields replaced by hostile values (or dropped)."""
    names = sorted(fields)

    @st.composite
    def build(draw):
        data = dict(baseline)
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            value = draw(st.one_of(fields[name], st.none()))
            if value is None:
                data.pop(name, None)  # a field missing from the POST
            else:
                data[name] = value
        return data

    return build()


# --- what every answer must satisfy --------------------------------------------------------------


def forms_in(response) -> list:
    found = []
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, AdminForm):
                    found.append(value.form)
                elif isinstance(value, InlineAdminFormSet):
                    found.append(value.formset)
                elif isinstance(value, (BaseForm, BaseFormSet)):
                    found.append(value)
    return found


def has_errors(form) -> bool:
    if isinstance(form, BaseFormSet):
        return bool(form.non_form_errors()) or any(form.errors) or not form.management_form.is_valid()
    return bool(form.errors)


def assert_answered(response, typed_text: str | None = None, *, redisplay: bool = False) -> None:
    """A redirect (saved), or the form again with its errors and what she typed; never a 500.

    `redisplay`: a request that only shows the form again (e.g. "Add another exercise"), errors or not.
    """
    assert response.status_code in (200, 302), f"answered {response.status_code}"
    if currently_in_test_context():  # counted by --hypothesis-show-statistics
        event("saved" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        return
    bound = [form for form in forms_in(response) if form.is_bound]
    assert bound, "a 200 answer to a POST must show the bound form again"
    if not redisplay:
        assert any(has_errors(form) for form in bound), "the form came back without saying what is wrong"
    if typed_text and typed_text.strip() and "\x00" not in typed_text:
        # (crispy collapses a whitespace-only value, which would be saved as "" anyway)
        assert escape(typed_text.strip()) in response.content.decode(), "what she typed was lost"


def assert_all_valid(*querysets) -> None:
    for obj in chain(*querysets):
        obj.full_clean()  # fields, choices, validators and every CheckConstraint / UniqueConstraint


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def today() -> datetime.date:
    return timezone.localdate()


# --- patient forms -------------------------------------------------------------------------------

GIRTH_FIELDS = {
    "date": dates, "site": choices, "left_1": numbers, "left_2": numbers, "left_3": numbers,
    "right_1": numbers, "right_2": numbers, "right_3": numbers, "measured_by": choices, "notes": texts,
    "recheck_confirmed": booleans,
}


def girth_baseline(unit: str = "cm") -> dict:
    readings = ("34.2", "34.4", "37.6") if unit == "cm" else ("13.46", "13.5", "14.8")
    return {"date": today().isoformat(), "site": "tt10", "left_1": readings[0], "left_2": readings[1],
            "right_1": readings[2], "measured_by": "self", "notes": "ok"}


@pytest.mark.parametrize("unit", ["cm", "in"])
@FUZZ
@given(data=st.data())
def test_measurement_new_survives_hostile_input(patient, unit, data):
    PatientProfile.objects.filter(user=patient).update(unit=unit)
    GirthMeasurement.objects.filter(patient=patient).delete()
    payload = data.draw(hostile(girth_baseline(unit), GIRTH_FIELDS))
    response = logged_in(patient).post(reverse("measurement_new"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.filter(patient=patient))
    assert GirthMeasurement.objects.filter(patient=patient).count() == (response.status_code == 302)


@FUZZ
@given(data=st.data())
def test_measurement_edit_survives_hostile_input(patient, data):
    GirthMeasurement.objects.filter(patient=patient).delete()
    measurement = GirthMeasurementFactory(patient=patient, date=today())
    payload = data.draw(hostile(girth_baseline(), GIRTH_FIELDS))
    response = logged_in(patient).post(reverse("measurement_edit", args=[measurement.pk]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.filter(patient=patient))


HEEL_FIELDS = {"date": dates, "reps_left": numbers, "reps_right": numbers, "incline": numbers, "notes": texts}


def heel_baseline() -> dict:
    return {"date": today().isoformat(), "reps_left": "12", "reps_right": "27", "incline": "10",
            "notes": "ok"}


@FUZZ
@given(data=st.data())
def test_heel_rise_new_survives_hostile_input(patient, data):
    HeelRiseTest.objects.filter(patient=patient).delete()
    payload = data.draw(hostile(heel_baseline(), HEEL_FIELDS))
    response = logged_in(patient).post(reverse("heel_rise_new"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(HeelRiseTest.objects.filter(patient=patient))


@FUZZ
@given(data=st.data())
def test_heel_rise_edit_survives_hostile_input(patient, data):
    HeelRiseTest.objects.filter(patient=patient).delete()
    test = HeelRiseTestFactory(patient=patient)
    payload = data.draw(hostile(heel_baseline(), HEEL_FIELDS))
    response = logged_in(patient).post(reverse("heel_rise_edit", args=[test.pk]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(HeelRiseTest.objects.filter(patient=patient))


def session_fields(entry_ids: st.SearchStrategy) -> dict:
    counts = ["0", "1", "2", "-1", "30", "31", "1000000", "", "x", "1e3"]
    management = st.one_of(st.sampled_from(counts), numbers)
    return {
        "performed_at": datetimes, "duration_minutes": numbers, "pain_before": numbers, "pain_after": numbers,
        "rpe": numbers, "notes": texts, "source": texts, "add_entry": texts,
        "entries-TOTAL_FORMS": management, "entries-INITIAL_FORMS": management,
        "entries-MAX_NUM_FORMS": management, "entries-0-id": entry_ids, "entries-0-exercise": numbers,
        "entries-0-side": choices, "entries-0-sets": numbers, "entries-0-reps": numbers,
        "entries-0-hold_seconds": numbers, "entries-0-minutes": numbers, "entries-0-load_kg": numbers,
        "entries-0-pain_during": numbers, "entries-0-DELETE": booleans,
    }


def session_baseline(*, entry=None) -> dict:
    data = {
        "performed_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30", "pain_before": "2", "pain_after": "3", "rpe": "6", "notes": "ok",
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "1" if entry else "0",
        "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "30",
        "entries-0-exercise": str(exercise("single-leg-calf-raise").pk), "entries-0-side": "left",
        "entries-0-sets": "3", "entries-0-reps": "12", "entries-0-load_kg": "0", "entries-0-pain_during": "3",
    }
    if entry is not None:
        data["entries-0-id"] = str(entry.pk)
    return data


def session_rows(patient):
    return (
        ExerciseSession.objects.filter(patient=patient),
        ExerciseEntry.objects.filter(session__patient=patient),
    )


# A negative UTC offset turns 9999-12-31T23:59 into year 10000 in UTC; a positive one 0001-01-01 into year 0.
@pytest.mark.parametrize("zone", ["UTC", "America/Adak", "Pacific/Kiritimati"])
@FUZZ
@given(data=st.data())
def test_session_new_survives_hostile_input(patient, other_patient, settings, zone, data):
    settings.TIME_ZONE = zone
    ExerciseSession.objects.filter(patient=patient).delete()
    theirs = ExerciseEntryFactory(session=ExerciseSessionFactory(patient=other_patient))
    ids = st.one_of(st.just(str(theirs.pk)), numbers)
    payload = data.draw(hostile(session_baseline(), session_fields(ids)))
    response = logged_in(patient).post(reverse("session_new"), payload)
    assert_answered(response, payload.get("notes"), redisplay="add_entry" in payload)
    assert_all_valid(*session_rows(patient))
    theirs.refresh_from_db()
    assert theirs.session.patient == other_patient  # another patient's entry is never taken over


@FUZZ
@given(data=st.data())
def test_session_edit_survives_hostile_input(patient, other_patient, data):
    ExerciseSession.objects.filter(patient=patient).delete()
    entry = ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient))
    theirs = ExerciseEntryFactory(session=ExerciseSessionFactory(patient=other_patient))
    ids = st.one_of(st.just(str(theirs.pk)), numbers)
    payload = data.draw(hostile(session_baseline(entry=entry), session_fields(ids)))
    response = logged_in(patient).post(reverse("session_edit", args=[entry.session_id]), payload)
    assert_answered(response, payload.get("notes"), redisplay="add_entry" in payload)
    assert_all_valid(*session_rows(patient))
    theirs.refresh_from_db()
    assert theirs.session.patient == other_patient and theirs.reps == 12


SYMPTOM_FIELDS = {
    "pain_at_rest": numbers, "pain_next_morning": numbers, "stiffness": numbers, "night_cramps": numbers,
    "limping": booleans, "tp_left_lower_medial": booleans, "flag_dvt_signs": booleans, "notes": texts,
}


@FUZZ
@given(data=st.data(), days_ago=st.integers(min_value=0, max_value=30))
def test_symptom_check_in_survives_hostile_input(patient, data, days_ago):
    day = today() - datetime.timedelta(days=days_ago)
    payload = data.draw(hostile(symptom_baseline(), SYMPTOM_FIELDS))
    response = logged_in(patient).post(reverse("symptom_day", args=[day.isoformat()]), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(SymptomLog.objects.filter(patient=patient))


PROFILE_FIELDS = {
    "affected_side": choices, "condition": texts, "onset_date": dates, "unit": choices, "target_lsi": numbers,
    "sex": choices, "birth_year": numbers, "first_name": texts, "last_name": texts, "email": texts,
}


@FUZZ
@given(data=st.data())
def test_profile_survives_hostile_input(patient, data):
    payload = data.draw(hostile(profile_baseline(), PROFILE_FIELDS))
    response = logged_in(patient).post(reverse("profile"), payload)
    assert_answered(response, payload.get("condition"))
    patient.refresh_from_db()
    patient.full_clean()
    patient.profile.full_clean()


SIGNUP_FIELDS = {
    "username": texts, "first_name": texts, "email": texts, "password1": texts, "password2": texts,
    "affected_side": choices, "condition": texts, "unit": choices,
}


@FUZZ
@given(data=st.data(), number=st.integers(min_value=0, max_value=10**6))
def test_signup_survives_hostile_input(db, data, number):
    baseline = {"username": f"fuzz{number}", "first_name": "Fay", "email": "fay@example.com",
                "password1": "a-long-enough-passphrase-42", "password2": "a-long-enough-passphrase-42",
                "affected_side": "left", "condition": "", "unit": "cm"}
    payload = data.draw(hostile(baseline, SIGNUP_FIELDS))
    before = set(User.objects.values_list("pk", flat=True))
    response = Client().post(reverse("signup"), payload)
    assert_answered(response, payload.get("condition"))
    created = User.objects.exclude(pk__in=before)
    assert created.count() == (response.status_code == 302)
    for user in created:
        user.full_clean()
        user.profile.full_clean()
    created.delete()


@FUZZ
@given(
    # Up to 255 characters: longer ones are a known bug, see test_login_with_a_very_long_username_is_no_500.
    username=st.one_of(st.just("anna"), texts.filter(lambda text: len(text) <= 255)),
    password=st.one_of(st.just("correct-horse-battery"), texts),
)
def test_login_survives_hostile_input(patient, username, password):
    """The login form (django-axes counts failures by username and address: NUL must not break that)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 302, 403, 429)
    if response.status_code == 200:
        assert response.context["form"].errors


@FUZZ
@given(email=st.one_of(st.just("anna@example.com"), texts))
def test_password_reset_survives_hostile_input(patient, email):
    response = Client().post(reverse("password_reset"), {"email": email})
    assert_answered(response, email)


@FUZZ
@given(name=texts)
def test_token_name_survives_hostile_input(patient, name):
    ApiToken.objects.filter(user=patient).delete()
    response = logged_in(patient).post(reverse("token_create"), {"name": name})
    assert response.status_code == 200  # the new token's page, or the form with its errors
    stored = list(ApiToken.objects.filter(user=patient))
    if not stored:
        assert response.context["form"].errors
    for token in stored:
        token.full_clean()
        assert "<script>alert" not in response.content.decode()


@FUZZ
@given(password=texts)
def test_account_deletion_refuses_hostile_passwords(patient, password):
    AccessAttempt.objects.all().delete()  # one wrong password per example: no lockout (429) in between
    response = logged_in(patient).post(reverse("account_delete"), {"password": password})
    assert_answered(response)
    assert response.status_code == 200  # none of these is her password: nothing is deleted
    assert User.objects.filter(pk=patient.pk).exists()


# --- every listed hostile value, not just the ones hypothesis happens to draw ----------------------


def symptom_baseline() -> dict:
    return {"pain_at_rest": "2", "pain_next_morning": "3", "stiffness": "4", "night_cramps": "1",
            "notes": "ok"}


def profile_baseline() -> dict:
    return {"affected_side": "left", "condition": "Calf atrophy", "onset_date": "2024-03-01", "unit": "cm",
            "target_lsi": "90", "sex": "F", "birth_year": "1990", "first_name": "Anna", "last_name": "B",
            "email": "anna@example.com"}


# (URL name, baseline, the patient's rows it stores)
SWEEP_FORMS = {
    "measurement_new": (girth_baseline, lambda p: GirthMeasurement.objects.filter(patient=p)),
    "heel_rise_new": (heel_baseline, lambda p: HeelRiseTest.objects.filter(patient=p)),
    "session_new": (session_baseline, lambda p: ExerciseSession.objects.filter(patient=p)),
    "profile": (profile_baseline, lambda p: PatientProfile.objects.filter(user=p)),
}
SWEEP = [
    ("measurement_new", "left_1", NUMBERS), ("measurement_new", "date", DATES),
    ("measurement_new", "notes", TEXTS),
    ("heel_rise_new", "reps_left", NUMBERS), ("heel_rise_new", "date", DATES),
    ("heel_rise_new", "notes", TEXTS),
    ("session_new", "performed_at", DATETIMES), ("session_new", "entries-0-load_kg", NUMBERS),
    ("session_new", "notes", TEXTS),
    ("profile", "target_lsi", NUMBERS), ("profile", "birth_year", NUMBERS), ("profile", "onset_date", DATES),
    ("profile", "condition", TEXTS),
]


@pytest.mark.parametrize(("name", "field", "values"), SWEEP, ids=[f"{n}-{f}" for n, f, _v in SWEEP])
def test_every_listed_hostile_value(patient, settings, name, field, values):
    baseline, rows = SWEEP_FORMS[name]
    client = logged_in(patient)
    # Far-off datetimes cross year 1 or 9999 when converted to UTC from a zone far from it.
    zones = ["America/Adak", "Pacific/Kiritimati"] if field == "performed_at" else ["UTC"]
    for zone in zones:
        settings.TIME_ZONE = zone
        for value in values:
            response = client.post(reverse(name), {**baseline(), field: value})
            assert_answered(response, value if field in ("notes", "condition") else None)
            assert_all_valid(rows(patient))
            if name != "profile":
                rows(patient).delete()


@pytest.mark.parametrize("value", NUMBERS)
def test_every_listed_hostile_number_in_a_check_in(patient, value):
    for field in ("pain_at_rest", "night_cramps"):
        response = logged_in(patient).post(reverse("symptom_day", args=[today().isoformat()]),
                                           {**symptom_baseline(), field: value})
        assert_answered(response)
        assert_all_valid(SymptomLog.objects.filter(patient=patient))


# --- the admin forms a physio posts --------------------------------------------------------------


@pytest.fixture
def physio_and_patient(db):
    physio = PhysioFactory(username="fuzz_physio")
    patient = PatientFactory(username="fuzz_patient")
    patient.profile.physio = physio
    patient.profile.save()
    return physio, patient


@FUZZ
@given(template=st.one_of(st.sampled_from(["alfredson", "hsr", "stretching"]), choices), start=dates)
def test_admin_programme_survives_hostile_input(physio_and_patient, template, start):
    physio, patient = physio_and_patient
    Prescription.objects.filter(patient=patient).delete()
    url = reverse("admin:tracker_patientprofile_programme", args=[patient.profile.pk])
    response = logged_in(physio).post(url, {"template": template, "start_date": start})
    assert response.status_code == 302  # success or not, back to the review page with a message
    assert_all_valid(Prescription.objects.filter(patient=patient))


NOTE_FIELDS = {"patient": numbers, "text": texts, "visible_to_patient": booleans, "is_review": booleans}


@FUZZ
@given(data=st.data())
def test_admin_note_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    PhysioNote.objects.all().delete()
    baseline = {"patient": str(patient.pk), "text": "Keep going.", "visible_to_patient": "on"}
    payload = data.draw(hostile(baseline, NOTE_FIELDS))
    response = logged_in(physio).post(reverse("admin:tracker_physionote_add"), payload)
    assert_answered(response, payload.get("text"))
    assert_all_valid(PhysioNote.objects.all())
    assert set(PhysioNote.objects.values_list("patient", flat=True)) <= {patient.pk}


PRESCRIPTION_FIELDS = {
    "patient": numbers, "exercise": numbers, "side": choices, "sets": numbers, "reps": numbers,
    "hold_seconds": numbers, "minutes": numbers, "load_kg": numbers, "times_per_week": numbers,
    "start_date": dates, "end_date": dates, "active": booleans, "notes": texts,
}


@FUZZ
@given(data=st.data())
def test_admin_prescription_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    Prescription.objects.all().delete()
    baseline = {"patient": str(patient.pk), "exercise": str(exercise("single-leg-calf-raise").pk),
                "side": "both", "sets": "3", "reps": "12", "load_kg": "0", "times_per_week": "3",
                "start_date": "2024-01-01", "active": "on", "notes": "ok"}
    payload = data.draw(hostile(baseline, PRESCRIPTION_FIELDS))
    response = logged_in(physio).post(reverse("admin:tracker_prescription_add"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(Prescription.objects.all())
    assert set(Prescription.objects.values_list("patient", flat=True)) <= {patient.pk}


@FUZZ
@given(data=st.data())
def test_admin_clinic_measurement_survives_hostile_input(physio_and_patient, data):
    physio, patient = physio_and_patient
    GirthMeasurement.objects.all().delete()
    baseline = {**girth_baseline(), "patient": str(patient.pk), "measured_by": "physio"}
    payload = data.draw(hostile(baseline, {**GIRTH_FIELDS, "patient": numbers}))
    response = logged_in(physio).post(reverse("admin:tracker_girthmeasurement_add"), payload)
    assert_answered(response, payload.get("notes"))
    assert_all_valid(GirthMeasurement.objects.all())


PATIENT_CREATION_FIELDS = {
    "username": texts, "first_name": texts, "last_name": texts, "email": texts, "password1": texts,
    "password2": texts, "affected_side": choices, "condition": texts, "onset_date": dates, "unit": choices,
    "target_lsi": numbers, "sex": choices, "birth_year": numbers,
}


@FUZZ
@given(data=st.data(), number=st.integers(min_value=0, max_value=10**6))
def test_admin_patient_creation_survives_hostile_input(physio_and_patient, data, number):
    physio, _patient = physio_and_patient
    baseline = {"username": f"new{number}", "first_name": "Nia", "last_name": "N", "email": "nia@example.com",
                "password1": "", "password2": "", "affected_side": "right", "condition": "Tennis leg",
                "onset_date": "2024-05-01", "unit": "cm", "target_lsi": "90", "sex": "", "birth_year": ""}
    payload = data.draw(hostile(baseline, PATIENT_CREATION_FIELDS))
    before = set(User.objects.values_list("pk", flat=True))
    response = logged_in(physio).post(reverse("admin:tracker_patientprofile_add"), payload)
    assert_answered(response, payload.get("condition"))
    created = User.objects.exclude(pk__in=before)
    assert created.count() == (response.status_code == 302)
    for user in created:
        user.full_clean()
        user.profile.full_clean()
        assert user.profile.physio == physio
    created.delete()


# --- hostile paths and query strings -------------------------------------------------------------

LIST_PAGES = ["measurement_list", "heel_rise_list", "session_list", "symptom_list", "dashboard"]
QUERY = st.dictionaries(
    st.sampled_from(["date_from", "date_to", "page", "range", "site", "repeat", "day"]),
    st.one_of(st.sampled_from(DATES), numbers, texts.filter(lambda text: len(text) < 2000)),
    max_size=4,
)


@FUZZ
@given(name=st.sampled_from(LIST_PAGES), query=QUERY)
def test_list_pages_survive_hostile_query_strings(patient, name, query):
    response = logged_in(patient).get(reverse(name), query)
    assert response.status_code == 200


@FUZZ
@given(
    chart=st.one_of(st.sampled_from(["girth", "symmetry", "heel-rise", "pain", "adherence"]),
                    st.from_regex(r"[-a-zA-Z0-9_]{1,20}", fullmatch=True)),
    fmt=st.one_of(st.sampled_from(["svg", "png", "pdf", "SVG"]),
                  st.from_regex(r"[a-z]{1,5}", fullmatch=True)),
    query=QUERY,
)
def test_charts_survive_hostile_names_and_options(patient, chart, fmt, query):
    response = logged_in(patient).get(reverse("chart", args=[chart, fmt]), query)
    assert response.status_code in (200, 404)


@FUZZ
@given(day=st.one_of(st.sampled_from(DATES), st.text(min_size=1, max_size=30).filter(lambda t: "/" not in t)))
def test_symptom_day_survives_hostile_days(patient, day):
    client = logged_in(patient)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/symptoms/{day}/")
        assert response.status_code in (200, 302, 404)
    assert_all_valid(SymptomLog.objects.filter(patient=patient))


ADMIN_LISTS = ["patientprofile", "girthmeasurement", "heelrisetest", "exercisesession", "symptomlog",
               "prescription", "physionote", "exercise"]
ADMIN_QUERY = st.dictionaries(
    st.sampled_from(["q", "o", "p", "e", "date__year", "date__month", "date__day", "performed_at__year",
                     "patient__id__exact", "site__exact", "assignment", "red_flag", "goal", "all",
                     "_to_field"]),
    st.one_of(st.sampled_from(["\x00", "a\x00b", "99999999999999999999", "-1", "0", "1", "2.5", "NaN", "9999",
                               "10000", "x", SCRIPT, "1.-2.3", "__all__", "id", "password"]), texts),
    max_size=3,
)


@FUZZ
@given(name=st.sampled_from(ADMIN_LISTS), query=ADMIN_QUERY)
def test_admin_lists_survive_hostile_search_and_filters(physio_and_patient, name, query):
    """The changelists' search box, filters, ordering and paging, as a physio could type or edit them."""
    physio, patient = physio_and_patient
    response = logged_in(physio).get(reverse(f"admin:tracker_{name}_changelist"), query)
    assert response.status_code in (200, 302, 400, 404)
    assert "<script>alert" not in response.content.decode()


# --- regressions: bugs these tests found, fixed ------------------------------------------------------


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "sNaN12"])
@pytest.mark.parametrize("field", ["left_1", "left_2"])
def test_signalling_nan_in_a_stored_reading_is_a_form_error(patient, field, value):
    """Was a 500: changed_data compared the stored reading with Decimal("sNaN") (InvalidOperation)."""
    measurement = GirthMeasurementFactory(patient=patient, date=today(), left_2=Decimal("34.3"))
    url = reverse("measurement_edit", args=[measurement.pk])
    response = logged_in(patient).post(url, {**girth_baseline(), field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Enter a number."]
    measurement.refresh_from_db()
    assert (measurement.left_1, measurement.left_2) == (Decimal("34.2"), Decimal("34.3"))


@pytest.mark.parametrize("url_name", ["session_new", "session_edit"])
def test_signalling_nan_as_a_load_is_a_form_error(patient, url_name):
    """Was a 500: the entry formset's has_changed() compared the default load 0 with Decimal("sNaN")."""
    entry = ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient))
    args = [entry.session_id] if url_name == "session_edit" else []
    data = {**session_baseline(entry=entry if args else None), "entries-0-load_kg": "sNaN"}
    response = logged_in(patient).post(reverse(url_name, args=args), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["load_kg"] == ["Enter a number."]
    assert ExerciseSession.objects.filter(patient=patient).count() == 1


# --- regressions: 500s the fuzzing found in the admin and the login ------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_login_with_a_very_long_username_is_no_500(patient, path):
    response = Client().post(path, {"username": "u" * 256, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("name", "field"),
    [("girthmeasurement", "date"), ("heelrisetest", "date"), ("exercisesession", "performed_at"),
     ("symptomlog", "date")],
)
def test_admin_date_hierarchy_with_a_huge_year_is_no_500(physio_and_patient, name, field):
    physio, _patient = physio_and_patient
    url = reverse(f"admin:tracker_{name}_changelist")
    response = logged_in(physio).get(url, {f"{field}__year": "99999999999999999999"})
    assert response.status_code in (200, 302)


def test_admin_list_filter_with_a_nul_byte_is_no_500(physio_and_patient):
    physio, _patient = physio_and_patient
    url = reverse("admin:tracker_girthmeasurement_changelist")
    response = logged_in(physio).get(url, {"site__exact": "\x00"})
    assert response.status_code in (200, 302)


def test_admin_review_inline_with_a_signalling_nan_is_a_form_error(physio_and_patient, rf):
    from django.contrib import admin as django_admin

    from tracker.admin.inlines import PrescriptionInline

    physio, patient = physio_and_patient
    request = rf.post("/")
    request.user = physio
    inline = PrescriptionInline(PatientProfile, django_admin.site)
    formset_class = inline.get_formset(request, patient)
    data = {
        "prescriptions-TOTAL_FORMS": "1", "prescriptions-INITIAL_FORMS": "0",
        "prescriptions-0-load_kg": "sNaN", "prescriptions-0-sets": "3",
        "prescriptions-0-exercise": str(exercise("single-leg-calf-raise").pk),
    }
    formset = formset_class(data, instance=patient, prefix="prescriptions")
    assert not formset.is_valid()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "9223372036854775808", "2147483648"])
@pytest.mark.parametrize("path", ["/measurements/{}/edit/", "/heel-rise/{}/edit/", "/sessions/{}/"])
def test_huge_ids_are_not_found(patient, path, pk):
    assert logged_in(patient).get(path.format(pk)).status_code == 404


@pytest.mark.parametrize("object_id", ["0", "-1", "99999999999999999999999", "abc", "1%00", "%F0%9F%A6%B5"])
@pytest.mark.parametrize("suffix", ["change/", "history/", "chart/girth.svg", "report.pdf", "export.zip"])
def test_hostile_admin_object_ids(physio_and_patient, object_id, suffix):
    physio, _patient = physio_and_patient
    response = logged_in(physio).get(f"/admin/tracker/patientprofile/{object_id}/{suffix}")
    assert response.status_code in (302, 404)


# --- HTML in notes is shown escaped everywhere ----------------------------------------------------


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<script>alert" not in html
    assert escape(SCRIPT) in html or escape(SCRIPT).replace("&quot;", "&#x27;") in html


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
