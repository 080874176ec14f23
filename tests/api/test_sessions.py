"""/api/v1/sessions/: a session and its entries, written together or not at all."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import error_messages, token_client
from tests.factories import ExerciseEntryFactory, ExerciseSessionFactory, SymptomLogFactory, exercise
from tracker.models import ExerciseEntry, ExerciseSession

URL = "/api/v1/sessions/"
YESTERDAY_EVENING = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)



@pytest.fixture
def api(patient):
    return token_client(patient)


def entry(slug: str = "single-leg-calf-raise", **overrides) -> dict:
    data = {
        "exercise": exercise(slug).pk,
        "side": "left",
        "sets": 3,
        "reps": 12,
        "load_kg": 10,
        "pain_during": 3,
    }
    data.update(overrides)
    return data


def payload(*entries, **overrides) -> dict:
    data = {
        "performed_at": YESTERDAY_EVENING.isoformat(),
        "duration_minutes": 30,
        "pain_before": 1,
        "pain_after": 3,
        "rpe": 6,
        "notes": "",
        "entries": list(entries) or [entry()],
    }
    data.update(overrides)
    return data


# --- Create -----------------------------------------------------------------------------------------


def test_create_saves_the_session_with_its_entries(api, patient):
    stretch = entry("wall-gastrocnemius-stretch", reps=None, hold_seconds=30, load_kg=0, pain_during=None)
    response = api.post(URL, payload(entry(), stretch), format="json")
    assert response.status_code == 201
    body = response.json()
    session = ExerciseSession.objects.get(pk=body["id"], patient=patient)
    assert [e.exercise.slug for e in session.entries.all()] == [
        "single-leg-calf-raise",
        "wall-gastrocnemius-stretch",
    ]
    first, second = body["entries"]
    assert first["exercise_name"] == "Single-leg calf raise"
    assert (first["total_reps"], first["load_volume"]) == (36, 360.0)  # 3 x 12, x 10 kg
    assert second["hold_seconds"] == 30 and second["total_reps"] == 0
    assert body["pain_during_max"] == 3
    assert body["red_flags"] == []


def test_pain_above_5_gives_the_pain_monitoring_advice(api):
    response = api.post(URL, payload(entry(pain_during=7), pain_after=6), format="json")
    assert response.status_code == 201
    flags = response.json()["red_flags"]
    assert [flag["code"] for flag in flags] == ["pain_during", "pain_after"]
    assert all(flag["level"] == "advice" for flag in flags)
    assert flags[0]["message"].startswith("Pain during exercise went above 5/10.")


def test_while_a_warning_sign_pauses_her_exercises_the_advice_is_for_when_she_starts_again(api, patient):
    """Her dashboard says "When you start again, reduce the load": the API said "next session"."""
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    response = api.post(URL, payload(entry(pain_during=7)), format="json")
    [flag] = response.json()["red_flags"]
    assert flag["message"].startswith("Pain during exercise went above 5/10. When you start again, reduce")
    assert "next session" not in flag["message"]
    assert "next session" not in str(api.get(URL).json())


def test_only_the_amount_the_exercise_is_measured_in_is_kept(api):
    response = api.post(URL, payload(entry(reps=12, hold_seconds=30, minutes=5)), format="json")
    assert response.status_code == 201
    saved = ExerciseEntry.objects.get()
    assert (saved.reps, saved.hold_seconds, saved.minutes) == (12, None, None)


def test_the_amount_the_exercise_needs_is_required(api):
    response = api.post(URL, payload(entry(reps=None, hold_seconds=30)), format="json")
    assert response.status_code == 400
    # Entry errors are keyed by the entry's position in the list.
    assert response.json() == {
        "entries": {"0": {"reps": ["Enter the repetitions for Single-leg calf raise."]}}
    }
    assert not ExerciseSession.objects.exists()


def test_a_bad_entry_saves_nothing(api):
    good, bad = entry(), entry(sets=25)
    response = api.post(URL, payload(good, bad), format="json")
    assert response.status_code == 400
    assert response.json()["entries"] == {"1": {"sets": ["Enter a whole number from 1 to 20."]}}
    assert not ExerciseSession.objects.exists()
    assert not ExerciseEntry.objects.exists()


def test_a_database_failure_on_a_later_entry_rolls_the_whole_session_back(api):
    real_save = ExerciseEntry.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise IntegrityError("simulated failure on the second entry")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(ExerciseEntry, "save", failing_save):
        response = api.post(URL, payload(entry(), entry(side="right")), format="json")
    assert response.status_code == 400
    assert len(calls) == 2  # the first entry had been written...
    assert not ExerciseSession.objects.exists()  # ...and was rolled back with the session
    assert not ExerciseEntry.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"entries": []}, "entries", "Log at least one exercise."),
        ({"pain_after": 11}, "pain_after", "Enter a whole number from 0 to 10."),
        ({"duration_minutes": 0}, "duration_minutes", "Enter a whole number from 1 to 600."),
        (
            {"performed_at": (timezone.now() + datetime.timedelta(days=1)).isoformat()},
            "performed_at",
            "This date is in the future. Enter today or an earlier date.",
        ),
        ({"performed_at": "1899-06-01T10:00:00Z"}, "performed_at", "Enter a date from 1900 onwards."),
    ],
)
def test_invalid_sessions_are_400_and_save_nothing(api, overrides, field, message):
    response = api.post(URL, payload(**overrides), format="json")
    assert response.status_code == 400
    assert error_messages(response, field) == [message]
    assert not ExerciseSession.objects.exists()


def test_too_many_entries(api):
    response = api.post(URL, payload(*[entry() for _ in range(31)]), format="json")
    assert response.status_code == 400
    assert error_messages(response, "entries") == ["Log at most 30 exercises in one session."]


def test_an_unknown_exercise_is_400(api):
    response = api.post(URL, payload(entry(exercise=999999)), format="json")
    assert response.status_code == 400
    assert response.json()["entries"]["0"]["exercise"] == ['Invalid pk "999999" - object does not exist.']


# --- Update -----------------------------------------------------------------------------------------


def test_put_replaces_the_entries(api, patient):
    session = ExerciseSessionFactory(patient=patient)
    ExerciseEntryFactory(session=session)
    ExerciseEntryFactory(session=session)
    seated = entry("seated-calf-raise", side="both", reps=15, load_kg=0)
    response = api.put(f"{URL}{session.pk}/", payload(seated, rpe=4), format="json")
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.rpe == 4
    assert [e.exercise.slug for e in session.entries.all()] == ["seated-calf-raise"]
    assert [e["exercise_name"] for e in response.json()["entries"]] == ["Seated calf raise"]


def test_patch_without_entries_keeps_them(api, patient):
    session = ExerciseSessionFactory(patient=patient)
    kept = ExerciseEntryFactory(session=session)
    response = api.patch(f"{URL}{session.pk}/", {"notes": "Felt good"}, format="json")
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["entries"]] == [kept.pk]
    session.refresh_from_db()
    assert session.notes == "Felt good"


def test_a_bad_entry_in_an_update_changes_nothing(api, patient):
    session = ExerciseSessionFactory(patient=patient, rpe=6)
    kept = ExerciseEntryFactory(session=session)
    response = api.put(f"{URL}{session.pk}/", payload(entry(), entry(pain_during=12), rpe=2), format="json")
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.rpe == 6
    assert list(session.entries.values_list("pk", flat=True)) == [kept.pk]


def test_a_patched_entry_must_be_complete(api, patient):
    session = ExerciseSessionFactory(patient=patient)
    ExerciseEntryFactory(session=session)
    response = api.patch(f"{URL}{session.pk}/", {"entries": [{"sets": 2}]}, format="json")
    assert response.status_code == 400
    assert response.json()["entries"]["0"]["exercise"] == ["This field is required."]


# --- Read, isolation, delete ------------------------------------------------------------------------


def test_list_filters_on_the_date_of_the_session(api, patient):
    now = timezone.now()
    old = ExerciseSessionFactory(patient=patient, performed_at=now - datetime.timedelta(days=20))
    recent = ExerciseSessionFactory(patient=patient, performed_at=now - datetime.timedelta(days=2))
    since = timezone.localdate() - datetime.timedelta(days=5)
    response = api.get(URL, {"date_from": since.isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]
    response = api.get(URL, {"ordering": "performed_at"})
    assert [row["id"] for row in response.json()["results"]] == [old.pk, recent.pk]


def test_another_patients_session_is_404(api, other_patient):
    theirs = ExerciseEntryFactory(session__patient=other_patient).session
    url = f"{URL}{theirs.pk}/"
    assert api.get(url).status_code == 404
    assert api.put(url, payload(), format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert ExerciseSession.objects.filter(pk=theirs.pk).exists()
    assert api.get(URL).json()["count"] == 0


def test_delete_removes_the_entries_too(api, patient):
    session = ExerciseEntryFactory(session__patient=patient).session
    assert api.delete(f"{URL}{session.pk}/").status_code == 204
    assert not ExerciseSession.objects.exists() and not ExerciseEntry.objects.exists()


def test_the_list_uses_a_fixed_number_of_queries(api, patient):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    def add_sessions(n: int) -> None:
        for _ in range(n):
            ExerciseEntryFactory.create_batch(2, session=ExerciseSessionFactory(patient=patient))

    add_sessions(3)
    api.get(URL)  # the token's first use writes last_used_at
    few = count_queries()
    add_sessions(27)
    assert count_queries() == few


def test_anonymous_is_401(db):
    assert APIClient().post(URL, {}, format="json").status_code == 401
