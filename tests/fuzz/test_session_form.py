"""Hostile input to the exercise-session form, new and edit (the time zone drawn in the test).
"""

from __future__ import annotations

from django.urls import reverse
from hypothesis import event, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
)
from tests.fuzz.common import (
    FUZZ,
    ZONES,
    assert_all_valid,
    assert_answered,
    hostile,
    logged_in,
    numbers,
    session_baseline,
    session_fields,
    session_rows,
)
from tests.hypothesis_profiles import examples
from tracker.models import (
    ExerciseSession,
)


@fuzz_settings(FUZZ, max_examples=examples(30 * len(ZONES)))  # as many as when each zone was a test
@given(data=st.data())
def test_session_new_survives_hostile_input(patient, other_patient, settings, data):
    zone = data.draw(st.sampled_from(ZONES), label="zone")
    event(f"zone {zone}")  # --hypothesis-show-statistics shows that every zone was tried
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
