"""What the hostile-input tests share: the hostile values, each form's valid baseline and fields,
and the checks every answer must pass (never a 500; every stored row passes full_clean())."""

from __future__ import annotations

import datetime
from itertools import chain

from django.contrib.admin.helpers import AdminForm, InlineAdminFormSet
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, currently_in_test_context, event
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from tests.factories import (
    exercise,
)
from tests.hypothesis_profiles import examples
from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
)

FUZZ = fuzz_settings(
    max_examples=examples(30),
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


GIRTH_FIELDS = {
    "date": dates, "site": choices, "left_1": numbers, "left_2": numbers, "left_3": numbers,
    "right_1": numbers, "right_2": numbers, "right_3": numbers, "measured_by": choices, "notes": texts,
    "recheck_confirmed": booleans,
}


def girth_baseline(unit: str = "cm") -> dict:
    readings = ("34.2", "34.4", "37.6") if unit == "cm" else ("13.46", "13.5", "14.8")
    return {"date": today().isoformat(), "site": "tt10", "left_1": readings[0], "left_2": readings[1],
            "right_1": readings[2], "measured_by": "self", "notes": "ok"}


HEEL_FIELDS = {"date": dates, "reps_left": numbers, "reps_right": numbers, "incline": numbers, "notes": texts}


def heel_baseline() -> dict:
    return {"date": today().isoformat(), "reps_left": "12", "reps_right": "27", "incline": "10",
            "notes": "ok"}


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
ZONES = ["UTC", "America/Adak", "Pacific/Kiritimati"]


SYMPTOM_FIELDS = {
    "pain_at_rest": numbers, "pain_next_morning": numbers, "stiffness": numbers, "night_cramps": numbers,
    "limping": booleans, "tp_left_lower_medial": booleans, "flag_dvt_signs": booleans, "notes": texts,
}


PROFILE_FIELDS = {
    "affected_side": choices, "condition": texts, "onset_date": dates, "unit": choices, "target_lsi": numbers,
    "sex": choices, "birth_year": numbers, "first_name": texts, "last_name": texts, "email": texts,
}


SIGNUP_FIELDS = {
    "username": texts, "first_name": texts, "email": texts, "password1": texts, "password2": texts,
    "affected_side": choices, "condition": texts, "unit": choices,
}


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


NOTE_FIELDS = {"patient": numbers, "text": texts, "visible_to_patient": booleans, "is_review": booleans}


PRESCRIPTION_FIELDS = {
    "patient": numbers, "exercise": numbers, "side": choices, "sets": numbers, "reps": numbers,
    "hold_seconds": numbers, "minutes": numbers, "load_kg": numbers, "times_per_week": numbers,
    "start_date": dates, "end_date": dates, "active": booleans, "notes": texts,
}


PATIENT_CREATION_FIELDS = {
    "username": texts, "first_name": texts, "last_name": texts, "email": texts, "password1": texts,
    "password2": texts, "affected_side": choices, "condition": texts, "onset_date": dates, "unit": choices,
    "target_lsi": numbers, "sex": choices, "birth_year": numbers,
}


LIST_PAGES = ["measurement_list", "heel_rise_list", "session_list", "symptom_list", "dashboard"]


QUERY = st.dictionaries(
    st.sampled_from(["date_from", "date_to", "page", "range", "site", "repeat", "day"]),
    st.one_of(st.sampled_from(DATES), numbers, texts.filter(lambda text: len(text) < 2000)),
    max_size=4,
)


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


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<script>alert" not in html
    assert escape(SCRIPT) in html or escape(SCRIPT).replace("&quot;", "&#x27;") in html
