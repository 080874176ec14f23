"""Exercise sessions: log (pre-filled from prescriptions), list, detail, edit, delete."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import WARNING, get_messages
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    PatientFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import text_of
from tracker.forms import sessions as session_forms
from tracker.models import ExerciseEntry, ExerciseSession
from tracker.services.sessions import save_session

LIST_URL = reverse("session_list")
NEW_URL = reverse("session_new")
ENTRY_FIELDS = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "pain_during")


def local_input(moment: datetime.datetime) -> str:
    """A datetime as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def an_hour_ago() -> str:
    return local_input(timezone.now() - datetime.timedelta(hours=1))


def entry(slug: str = "single-leg-calf-raise", **overrides) -> dict:
    data = {
        "exercise": str(exercise(slug).pk),
        "side": "left",
        "sets": "3",
        "reps": "12",
        "hold_seconds": "",
        "minutes": "",
        "load_kg": "0",
        "pain_during": "3",
    }
    data.update(overrides)
    return data


def form_data(entries: list[dict], *, initial_forms: int = 0, **session) -> dict:
    data = {
        "performed_at": an_hour_ago(),
        "duration_minutes": "30",
        "pain_before": "2",
        "pain_after": "3",
        "rpe": "6",
        "notes": "",
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(initial_forms),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "30",
    }
    data.update(session)
    for index, fields in enumerate(entries):
        for name, value in fields.items():
            data[f"entries-{index}-{name}"] = value
    return data


def three_entries() -> list[dict]:
    return [
        entry("single-leg-calf-raise", reps="12", load_kg="10"),
        entry("wall-gastrocnemius-stretch", reps="", hold_seconds="30", side="both", pain_during="2"),
        entry("stationary-cycling", reps="", minutes="25", sets="1", side="both", pain_during="1"),
    ]


def bound_values(response) -> list[dict]:
    """What each entry form of the re-rendered page shows."""
    return [
        {name: form[name].value() for name in ENTRY_FIELDS} for form in response.context["formset"].forms
    ]


def session_with_entries(patient, n_entries: int = 2, **fields) -> ExerciseSession:
    session = ExerciseSessionFactory(patient=patient, **fields)
    ExerciseEntryFactory.create_batch(n_entries, session=session)
    return session


# --- login, ownership and methods -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("session_list", [], "get"),
        ("session_new", [], "get"),
        ("session_new", [], "post"),
        ("session_detail", [1], "get"),
        ("session_edit", [1], "get"),
        ("session_edit", [1], "post"),
        ("session_delete", [1], "post"),
    ],
)
def test_it_requires_login(client, name, args, method):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_physio_without_profile_is_sent_to_admin(client, physio):
    client.force_login(physio)
    response = client.get(NEW_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("name", ["session_detail", "session_edit"])
def test_pages_check_ownership(patient_client, other_patient, name):
    theirs = session_with_entries(other_patient)
    assert patient_client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_editing_anothers_session_by_post_is_404_and_changes_nothing(patient_client, other_patient):
    theirs = session_with_entries(other_patient, n_entries=1, pain_after=3)
    their_entry = theirs.entries.get()
    data = form_data(
        [{**entry(pain_during="9"), "id": str(their_entry.pk)}], initial_forms=1, pain_after="9"
    )
    response = patient_client.post(reverse("session_edit", args=[theirs.pk]), data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    their_entry.refresh_from_db()
    assert theirs.pain_after == 3
    assert their_entry.pain_during == 3


def test_delete_checks_ownership(patient_client, other_patient):
    theirs = session_with_entries(other_patient)
    url = reverse("session_delete", args=[theirs.pk])
    assert patient_client.post(url, {"confirm": "yes"}).status_code == 404
    assert ExerciseSession.objects.filter(pk=theirs.pk).exists()


def test_delete_rejects_get(patient_client, patient):
    session = session_with_entries(patient)
    response = patient_client.get(reverse("session_delete", args=[session.pk]))
    assert response.status_code == 405
    assert ExerciseSession.objects.filter(pk=session.pk).exists()


# --- the new-session form: pre-filling ------------------------------------------------------------


def test_while_paused_the_new_session_form_says_so_and_still_logs(patient_client, patient):
    """"Pause your calf exercises" on the dashboard, "Log today's programme" here: the form repeats
    the pause, so that the two pages agree, and still takes a session she did."""
    PrescriptionFactory(patient=patient)
    assert "Pause your calf exercises" not in patient_client.get(NEW_URL).content.decode()
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    content = patient_client.get(NEW_URL).content.decode()
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in content
    assert "You can still log a session you have already done." in content
    assert "<h1 class=\"h3\">Log a session you have done</h1>" in content
    assert "today's programme" not in content and "today&#x27;s programme" not in content
    session = ExerciseSessionFactory(patient=patient)
    edit = patient_client.get(reverse("session_edit", args=[session.pk])).content.decode()
    assert "Pause your calf exercises" not in edit  # editing a past session is not today's to-do


def test_while_paused_the_session_list_offers_a_past_session_not_todays_programme(patient_client, patient):
    """The list's button said "Log today's programme" under a dashboard that says pause, and before
    she had any programme at all."""
    content = patient_client.get(reverse("session_list")).content.decode()
    assert f'href="{NEW_URL}">Log a session</a>' in content and "today's programme" not in content
    PrescriptionFactory(patient=patient)
    assert "Log today's programme" in patient_client.get(reverse("session_list")).content.decode()
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    content = patient_client.get(reverse("session_list")).content.decode()
    assert f'href="{NEW_URL}">Log a session you have done</a>' in content
    assert "today's programme" not in content and "today&#x27;s programme" not in content


def test_new_without_prescriptions_has_one_empty_entry(patient_client):
    response = patient_client.get(NEW_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "Log a session" in content
    formset = response.context["formset"]
    assert len(formset.forms) == 1
    assert formset.forms[0]["exercise"].value() is None
    assert 'name="add_entry"' in content
    assert 'type="datetime-local"' in content
    assert 'id="entry-template"' in content
    assert 'id="exercise-units" type="application/json"' in content
    assert "tracker/sessions.js" in content
    # performed_at defaults to now, local time, to the minute
    shown = response.context["form"]["performed_at"].value()  # naive, in local time
    assert abs(shown - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=2)
    assert f'value="{shown:%Y-%m-%dT%H:%M}"' in content


def test_new_prefills_one_entry_per_active_prescription(patient_client, patient, other_patient):
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), sets=4, reps=8,
                        load_kg=Decimal("12.5"), side="left")
    PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), sets=3, reps=None,
                        hold_seconds=45, side="both")
    PrescriptionFactory(patient=patient, exercise=exercise("deep-water-running"), sets=1, reps=None,
                        minutes=30, side="both")
    # Not active today, or not hers: not pre-filled.
    PrescriptionFactory(patient=patient, exercise=exercise("seated-calf-raise"), active=False)
    PrescriptionFactory(
        patient=patient,
        exercise=exercise("foam-rolling-calf"),
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        reps=None,
        minutes=2,
    )
    PrescriptionFactory(patient=other_patient, exercise=exercise("stationary-cycling"), reps=None, minutes=20)

    response = patient_client.get(NEW_URL)

    assert response.status_code == 200
    assert "Log today&#x27;s programme" in response.content.decode()
    values = bound_values(response)
    assert len(values) == 3
    by_exercise = {value["exercise"]: value for value in values}
    calf_raise = by_exercise[exercise("single-leg-calf-raise").pk]
    assert (calf_raise["sets"], calf_raise["reps"], calf_raise["load_kg"], calf_raise["side"]) == (
        4, 8, Decimal("12.5"), "left"
    )
    assert by_exercise[exercise("soleus-stretch").pk]["hold_seconds"] == 45
    assert by_exercise[exercise("deep-water-running").pk]["minutes"] == 30
    assert all(value["pain_during"] is None for value in values)


def test_prefilled_entries_are_saved_when_submitted_unchanged(patient_client, patient):
    """Pre-filled rows are extra forms: they must not be skipped as 'unchanged' when posted."""
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"), sets=3, reps=15)
    response = patient_client.get(NEW_URL)
    form = response.context["formset"].forms[0]
    posted = {name: form[name].value() for name in ENTRY_FIELDS}
    posted = {name: "" if value is None else str(value) for name, value in posted.items()}
    response = patient_client.post(NEW_URL, form_data([posted]))
    assert response.status_code == 302
    saved = ExerciseEntry.objects.get(session__patient=patient)
    assert (saved.exercise.slug, saved.sets, saved.reps) == ("single-leg-calf-raise", 3, 15)


def test_repeat_last_prefills_from_most_recent_session(patient_client, patient):
    older = ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=5))
    ExerciseEntryFactory(session=older, exercise=exercise("seated-calf-raise"))
    latest = ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1))
    ExerciseEntryFactory(session=latest, exercise=exercise("heavy-slow-calf-raise"), sets=4, reps=6,
                         load_kg=Decimal("20.0"), side="right", pain_during=4)
    ExerciseEntryFactory(session=latest, exercise=exercise("wall-gastrocnemius-stretch"), reps=None,
                         hold_seconds=30, side="both")
    PrescriptionFactory(patient=patient)  # repeat wins over the programme

    response = patient_client.get(NEW_URL + "?repeat=last")

    assert "Repeat your last session" in response.content.decode()
    values = bound_values(response)
    assert [v["exercise"] for v in values] == [
        exercise("heavy-slow-calf-raise").pk,
        exercise("wall-gastrocnemius-stretch").pk,
    ]
    assert (values[0]["sets"], values[0]["reps"], values[0]["load_kg"], values[0]["side"]) == (
        4, 6, Decimal("20.0"), "right"
    )
    assert values[1]["hold_seconds"] == 30
    assert values[0]["pain_during"] is None  # pain is today's, not copied


def test_repeat_button_shown_only_with_a_previous_session(patient_client, patient):
    assert "?repeat=last" not in patient_client.get(NEW_URL).content.decode()
    session_with_entries(patient)
    assert "?repeat=last" in patient_client.get(NEW_URL).content.decode()


def test_repeat_last_without_sessions_falls_back_to_programme(patient_client, patient):
    PrescriptionFactory(patient=patient)
    response = patient_client.get(NEW_URL + "?repeat=last")
    assert "Log today&#x27;s programme" in response.content.decode()
    assert [v["exercise"] for v in bound_values(response)] == [exercise("eccentric-heel-drop-straight").pk]


# --- add another exercise without JavaScript -------------------------------------------------------


def test_add_entry_without_js_keeps_typed_data_and_saves_nothing(patient_client):
    data = form_data([entry(reps="", load_kg="7.5", pain_during="4")], notes="Felt stiff", pain_after="4")
    data["add_entry"] = "1"

    response = patient_client.post(NEW_URL, data)

    assert response.status_code == 200
    assert ExerciseSession.objects.count() == 0
    assert ExerciseEntry.objects.count() == 0
    values = bound_values(response)
    assert len(values) == 2
    assert values[0]["exercise"] == str(exercise("single-leg-calf-raise").pk)
    assert values[0]["load_kg"] == "7.5"
    assert values[0]["pain_during"] == "4"
    assert values[1]["exercise"] is None
    content = response.content.decode()
    assert "Felt stiff" in content
    assert 'name="entries-TOTAL_FORMS" value="2"' in content
    # The half-filled row (no reps yet) is not reported as an error: nothing was submitted to save.
    assert "Enter the repetitions" not in content
    assert "Nothing has been saved yet" not in content


def test_add_entry_then_save_saves_both(patient_client, patient):
    data = form_data([entry()])
    data["add_entry"] = "1"
    response = patient_client.post(NEW_URL, data)
    assert response.context["formset"].total_form_count() == 2
    data = form_data([entry(), entry("seated-calf-raise", reps="15")])
    assert patient_client.post(NEW_URL, data).status_code == 302
    assert ExerciseEntry.objects.filter(session__patient=patient).count() == 2


# --- saving ---------------------------------------------------------------------------------------


def test_saving_three_entries(patient_client, patient):
    performed = an_hour_ago()
    data = form_data(three_entries(), performed_at=performed, notes="Good session")

    response = patient_client.post(NEW_URL, data)

    session = ExerciseSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert session.patient == patient
    assert local_input(session.performed_at) == performed
    assert (session.duration_minutes, session.pain_before, session.pain_after, session.rpe) == (30, 2, 3, 6)
    assert session.notes == "Good session"
    saved = list(session.entries.order_by("id"))
    assert [(e.exercise.slug, e.sets, e.reps, e.hold_seconds, e.minutes) for e in saved] == [
        ("single-leg-calf-raise", 3, 12, None, None),
        ("wall-gastrocnemius-stretch", 3, None, 30, None),
        ("stationary-cycling", 1, None, None, 25),
    ]
    assert saved[0].load_kg == Decimal("10.0")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Session saved: 3 exercises."]


def test_only_the_amount_the_exercise_is_measured_in_is_kept(patient_client):
    data = form_data([entry("soleus-stretch", reps="12", hold_seconds="40", minutes="2")])
    assert patient_client.post(NEW_URL, data).status_code == 302
    saved = ExerciseEntry.objects.get()
    assert (saved.reps, saved.hold_seconds, saved.minutes) == (None, 40, None)


@pytest.mark.parametrize(
    ("drop", "management", "message"),
    [
        (True, {}, "ManagementForm data is missing"),
        (False, {"entries-TOTAL_FORMS": "abc"}, "ManagementForm data is missing"),
        (False, {"entries-TOTAL_FORMS": "1000"}, "Please submit at most 30 forms."),
    ],
)
def test_broken_management_form_is_an_error_not_a_500(patient_client, drop, management, message):
    data = form_data([entry()])
    if drop:
        data = {key: value for key, value in data.items() if not key.endswith("_FORMS")}
    data.update(management)
    response = patient_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["formset"].non_form_errors())
    assert ExerciseSession.objects.count() == 0


def test_exercise_units_map_for_the_script(patient_client):
    response = patient_client.get(NEW_URL)
    assert response.context["exercise_units"][exercise("soleus-stretch").pk] == "seconds"
    assert response.context["exercise_units"][exercise("stationary-cycling").pk] == "minutes"
    content = response.content.decode()
    assert f'"{exercise("single-leg-calf-raise").pk}": "reps"' in content


def test_blank_load_means_body_weight(patient_client):
    assert patient_client.post(NEW_URL, form_data([entry(load_kg="")])).status_code == 302
    assert ExerciseEntry.objects.get().load_kg == Decimal("0")


def test_number_inputs_carry_the_model_ranges(patient_client):
    content = patient_client.get(NEW_URL).content.decode()
    assert 'name="pain_after" min="0" max="10"' in content
    assert 'name="entries-0-sets" value="3" min="1" max="20"' in content
    assert 'name="entries-0-hold_seconds" min="1" max="600"' in content


def test_empty_extra_entry_forms_are_ignored(patient_client):
    blank = {"exercise": "", "side": "both", "sets": "3", "reps": "", "hold_seconds": "", "minutes": "",
             "load_kg": "0", "pain_during": ""}
    response = patient_client.post(NEW_URL, form_data([entry(), blank]))
    assert response.status_code == 302
    assert ExerciseEntry.objects.count() == 1


def test_at_least_one_exercise(patient_client):
    blank = {"exercise": "", "side": "both", "sets": "3", "load_kg": "0"}
    response = patient_client.post(NEW_URL, form_data([blank]))
    assert response.status_code == 200
    assert "Log at least one exercise." in response.content.decode()
    assert ExerciseSession.objects.count() == 0


@pytest.mark.parametrize(
    ("session_fields", "entry_fields", "error_field", "message"),
    [
        ({"performed_at": "2099-01-01T10:00"}, {}, "performed_at", "in the future"),
        ({"performed_at": "1899-12-31T10:00"}, {}, "performed_at", "from 1900 onwards"),
        ({"performed_at": "yesterday"}, {}, "performed_at", "Enter a valid date/time"),
        ({"pain_after": "11"}, {}, "pain_after", "Enter a whole number from 0 to 10."),
        ({"pain_before": "-1"}, {}, "pain_before", "Enter a whole number from 0 to 10."),
        ({"rpe": "NaN"}, {}, "rpe", "Enter a whole number"),
        ({"duration_minutes": "0"}, {}, "duration_minutes", "Enter a whole number from 1 to 600."),
        ({}, {"pain_during": "11"}, "pain_during", "Enter a whole number from 0 to 10."),
        ({}, {"sets": "0"}, "sets", "Enter a whole number from 1 to 20."),
        ({}, {"sets": "21"}, "sets", "Enter a whole number from 1 to 20."),
        ({}, {"load_kg": "NaN"}, "load_kg", "Enter a number"),
        ({}, {"load_kg": "Infinity"}, "load_kg", "Enter a number"),
        ({}, {"load_kg": "300.5"}, "load_kg", "Enter a number from 0 to 300."),
        ({}, {"load_kg": "2.55"}, "load_kg", "Enter a number from 0 to 300 kg, with at most one decimal."),
        ({}, {"reps": ""}, "reps", "Enter the repetitions for Single-leg calf raise."),
        ({}, {"reps": "501"}, "reps", "Enter a whole number from 0 to 500."),
        ({}, {"exercise": "999999"}, "exercise", "Select a valid choice"),
        ({}, {"side": "middle"}, "side", "Select a valid choice"),
    ],
)
def test_invalid_input_is_refused_and_kept(
    patient_client, session_fields, entry_fields, error_field, message
):
    data = form_data([entry(**entry_fields)], notes="Typed notes", **session_fields)

    response = patient_client.post(NEW_URL, data)

    assert response.status_code == 200
    assert ExerciseSession.objects.count() == 0
    assert ExerciseEntry.objects.count() == 0
    if error_field in entry_fields:
        form = response.context["formset"].forms[0]
        assert form[error_field].value() == entry_fields[error_field]
    else:
        form = response.context["form"]
        assert form[error_field].value() == session_fields[error_field]
    assert any(message in error for error in form.errors[error_field])
    content = response.content.decode()
    assert "Typed notes" in content
    assert "Nothing has been saved yet" in content


def test_exercise_measured_in_seconds_with_only_reps_is_refused(patient_client):
    data = form_data([entry("wall-gastrocnemius-stretch", reps="12", hold_seconds="")])
    response = patient_client.post(NEW_URL, data)
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert form.errors["hold_seconds"] == ["Enter the seconds held for Wall gastrocnemius stretch."]
    assert form["reps"].value() == "12"
    assert ExerciseEntry.objects.count() == 0


def test_exercise_measured_in_minutes_needs_minutes(patient_client):
    data = form_data([entry("stationary-cycling", reps="", minutes="")])
    response = patient_client.post(NEW_URL, data)
    form = response.context["formset"].forms[0]
    assert form.errors["minutes"] == ["Enter the minutes for Stationary cycling."]


def test_one_bad_entry_saves_nothing_and_keeps_everything(patient_client):
    entries = three_entries()
    entries[2]["minutes"] = ""  # the third has no amount
    response = patient_client.post(NEW_URL, form_data(entries, notes="Three exercises"))

    assert response.status_code == 200
    assert ExerciseSession.objects.count() == 0
    assert ExerciseEntry.objects.count() == 0
    values = bound_values(response)
    assert len(values) == 3
    assert values[0]["load_kg"] == "10"
    assert values[1]["hold_seconds"] == "30"
    assert "Three exercises" in response.content.decode()


@pytest.mark.django_db
def test_save_session_rolls_back_when_an_entry_fails(monkeypatch):
    """The session and earlier entries are not left half-saved if a later entry fails."""
    patient = PatientFactory()
    session = ExerciseSession(patient=patient)
    form = session_forms.SessionForm(form_data(three_entries()), instance=session)
    formset = session_forms.entry_formset_class()(
        form_data(three_entries()), instance=session, prefix=session_forms.ENTRY_PREFIX
    )
    assert form.is_valid() and formset.is_valid()
    real_save = ExerciseEntry.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise DatabaseError("disk full")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(ExerciseEntry, "save", failing_save)
    with pytest.raises(DatabaseError):
        save_session(
            patient=patient,
            session=form.save(commit=False),
            entries=formset.save(commit=False),
            removed=formset.deleted_objects,
        )
    assert len(calls) == 3
    assert ExerciseSession.objects.count() == 0
    assert ExerciseEntry.objects.count() == 0


# --- pain-monitoring advice -------------------------------------------------------------------------


def test_pain_above_5_during_exercise_shows_advice(patient_client):
    response = patient_client.post(NEW_URL, form_data([entry(pain_during="6")], pain_after="4"), follow=True)
    warnings = [m for m in response.context["messages"] if m.level == WARNING]
    assert len(warnings) == 1
    text = str(warnings[0])
    assert "Pain up to 5/10 during and after exercise is acceptable" in text
    assert "settle by the next morning" in text
    assert "Reduce the load" in text
    assert "physiotherapist will see this" in text
    assert 'class="alert alert-warning' in response.content.decode()


def test_pain_after_above_5_shows_advice(patient_client):
    response = patient_client.post(NEW_URL, form_data([entry(pain_during="2")], pain_after="7"), follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level == WARNING]
    assert len(warnings) == 1
    assert "Pain after exercise was above 5/10" in warnings[0]


def test_pain_above_5_during_and_after_gives_the_advice_once(patient_client):
    response = patient_client.post(NEW_URL, form_data([entry(pain_during="6")], pain_after="7"), follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level == WARNING]
    assert len(warnings) == 1
    assert "Pain during exercise went above 5/10" in warnings[0]
    assert "Pain after exercise was above 5/10" in warnings[0]
    assert warnings[0].count("Reduce the load") == 1


def test_a_painful_session_logged_while_paused_is_advised_for_when_she_starts_again(patient_client, patient):
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    response = patient_client.post(NEW_URL, form_data([entry(pain_during="6")], pain_after="7"), follow=True)
    [warning] = [str(m) for m in response.context["messages"] if m.level == WARNING]
    assert "When you start again, reduce the load" in warning and "next session" not in warning


def test_pain_of_5_needs_no_advice(patient_client):
    response = patient_client.post(NEW_URL, form_data([entry(pain_during="5")], pain_after="5"), follow=True)
    assert [m for m in response.context["messages"] if m.level == WARNING] == []


# --- detail -----------------------------------------------------------------------------------------


def test_detail_shows_session_and_entries(patient_client, patient):
    session = ExerciseSessionFactory(patient=patient, pain_before=1, pain_after=6, rpe=7, notes="Tired legs")
    ExerciseEntryFactory(session=session, exercise=exercise("single-leg-calf-raise"), sets=3, reps=12,
                         load_kg=Decimal("10.0"), pain_during=4)
    ExerciseEntryFactory(session=session, exercise=exercise("soleus-stretch"), sets=3, reps=None,
                         hold_seconds=30, side="both", pain_during=1)

    response = patient_client.get(reverse("session_detail", args=[session.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tired legs" in content
    assert "Single-leg calf raise" in content and "Soleus stretch" in content
    assert "3 × 12" in content and "3 × 30 s" in content
    assert "10.0 kg" in content
    assert "36 reps · 360 kg" in content  # volume = sets x reps (x load)
    assert "6/10" in content and "7/10" in content
    assert reverse("session_edit", args=[session.pk]) in content
    assert reverse("session_delete", args=[session.pk]) in content
    assert [row.total_reps for row in response.context["rows"]] == [36, 0]


# --- list -------------------------------------------------------------------------------------------


def test_list_shows_her_sessions_newest_first(patient_client, patient, other_patient):
    old = ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=3),
                                 pain_after=4)
    ExerciseEntryFactory(session=old, exercise=exercise("seated-calf-raise"), pain_during=2)
    new = ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(days=1),
                                 pain_after=1)
    ExerciseEntryFactory(session=new, exercise=exercise("single-leg-calf-raise"), pain_during=3)
    ExerciseEntryFactory(session=new, exercise=exercise("single-leg-calf-raise"), side="right",
                         pain_during=6)
    ExerciseEntryFactory(session=new, exercise=exercise("soleus-stretch"), reps=None, hold_seconds=30,
                         pain_during=None)
    session_with_entries(other_patient, notes="Olga's session")

    response = patient_client.get(LIST_URL)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [session.pk for session, _ in rows] == [new.pk, old.pk]
    assert rows[0][1] == ["Single-leg calf raise", "Soleus stretch"]
    assert rows[0][0].max_pain_during == 6
    content = response.content.decode()
    assert "Single-leg calf raise, Soleus stretch" in content
    assert "6/10" in content
    assert reverse("session_detail", args=[new.pk]) in content
    # Above the acceptable 5/10 it says so in words; 4/10 and below are plain.
    text = text_of(response)
    assert "6/10 (above 5)" in text and "4/10 (above" not in text and "1/10 (above" not in text


def test_list_empty_state(patient_client):
    response = patient_client.get(LIST_URL)
    content = response.content.decode()
    assert "No sessions logged yet" in content
    assert f'href="{NEW_URL}">Log a session</a>' in content  # no programme yet either


def test_list_filters_by_date(patient_client, patient):
    now = timezone.now()
    inside = session_with_entries(patient, performed_at=now - datetime.timedelta(days=10))
    session_with_entries(patient, performed_at=now - datetime.timedelta(days=20))
    session_with_entries(patient, performed_at=now - datetime.timedelta(days=1))
    day = timezone.localtime(inside.performed_at).date()
    response = patient_client.get(LIST_URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    assert [session.pk for session, _ in response.context["rows"]] == [inside.pk]
    response = patient_client.get(LIST_URL, {"date_from": "2099-01-01"})
    assert "No sessions between these dates" in response.content.decode()


def test_list_bad_date_filter_shows_message(patient_client):
    response = patient_client.get(LIST_URL, {"date_from": "2024-05-10", "date_to": "2024-05-01"})
    assert response.status_code == 200
    assert "The start date must be on or before the end date." in response.content.decode()


def test_list_paginates_25(patient_client, patient):
    now = timezone.now()
    for days in range(27):
        ExerciseSessionFactory(patient=patient, performed_at=now - datetime.timedelta(days=days + 1))
    assert len(patient_client.get(LIST_URL).context["rows"]) == 25
    assert len(patient_client.get(LIST_URL, {"page": "2"}).context["rows"]) == 2


def test_list_query_count_is_constant(patient_client, patient, django_assert_max_num_queries):
    for _ in range(3):
        session_with_entries(patient, n_entries=2)
    with django_assert_max_num_queries(20) as few:
        patient_client.get(LIST_URL)
    for _ in range(27):
        session_with_entries(patient, n_entries=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = patient_client.get(LIST_URL)
    assert len(response.context["rows"]) == 25


# --- edit -------------------------------------------------------------------------------------------


def edit_data(session: ExerciseSession, **session_fields) -> dict:
    """The edit form as the page shows it: one row per existing entry."""
    rows = []
    for existing in session.entries.order_by("id"):
        rows.append(
            {
                "id": str(existing.pk),
                "exercise": str(existing.exercise_id),
                "side": existing.side,
                "sets": str(existing.sets),
                "reps": "" if existing.reps is None else str(existing.reps),
                "hold_seconds": "",
                "minutes": "",
                "load_kg": str(existing.load_kg),
                "pain_during": str(existing.pain_during),
            }
        )
    return form_data(rows, initial_forms=len(rows), **session_fields)


def test_edit_page_shows_existing_entries(patient_client, patient):
    session = session_with_entries(patient, n_entries=2)
    response = patient_client.get(reverse("session_edit", args=[session.pk]))
    assert response.status_code == 200
    assert "Edit session" in response.content.decode()
    assert len(response.context["formset"].forms) == 2
    assert "Remove this exercise" in response.content.decode()


def test_edit_updates_session_and_entry(patient_client, patient):
    session = session_with_entries(patient, n_entries=1)
    data = edit_data(session, pain_after="1", notes="Better")
    data["entries-0-reps"] = "15"
    response = patient_client.post(reverse("session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.pain_after, session.notes) == (1, "Better")
    assert session.entries.get().reps == 15
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Session updated: 1 exercise."]


def test_edit_removes_an_entry_via_delete_checkbox(patient_client, patient):
    session = session_with_entries(patient, n_entries=3)
    removed = session.entries.order_by("id")[1]
    data = edit_data(session)
    data["entries-1-DELETE"] = "on"
    response = patient_client.post(reverse("session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert session.entries.count() == 2
    assert not ExerciseEntry.objects.filter(pk=removed.pk).exists()


def test_edit_cannot_remove_every_entry(patient_client, patient):
    session = session_with_entries(patient, n_entries=1)
    data = edit_data(session)
    data["entries-0-DELETE"] = "on"
    response = patient_client.post(reverse("session_edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert "Log at least one exercise." in response.content.decode()
    assert session.entries.count() == 1


def test_edit_cannot_take_over_anothers_entry(patient_client, patient, other_patient):
    mine = session_with_entries(patient, n_entries=1)
    their_entry = session_with_entries(other_patient, n_entries=1).entries.get()
    data = edit_data(mine)
    data["entries-0-id"] = str(their_entry.pk)
    data["entries-0-pain_during"] = "9"
    patient_client.post(reverse("session_edit", args=[mine.pk]), data)
    their_entry.refresh_from_db()
    assert their_entry.pain_during == 3
    assert their_entry.session.patient == other_patient
    assert ExerciseEntry.objects.filter(session__patient=other_patient).count() == 1


def test_edit_add_entry_without_js(patient_client, patient):
    session = session_with_entries(patient, n_entries=1)
    data = edit_data(session, notes="Changed")
    data["add_entry"] = "1"
    response = patient_client.post(reverse("session_edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    session.refresh_from_db()
    assert session.notes == ""


# --- delete -----------------------------------------------------------------------------------------


def test_delete_asks_then_deletes(patient_client, patient):
    session = session_with_entries(patient, n_entries=2)
    url = reverse("session_delete", args=[session.pk])

    response = patient_client.post(url)
    assert response.status_code == 200
    assert "Yes, delete it" in response.content.decode()
    assert ExerciseSession.objects.filter(pk=session.pk).exists()

    response = patient_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not ExerciseSession.objects.filter(pk=session.pk).exists()
    assert ExerciseEntry.objects.count() == 0
    assert any(str(m).startswith("Deleted") for m in get_messages(response.wsgi_request))


def test_nav_link(patient_client):
    content = patient_client.get(LIST_URL).content.decode()
    assert f'aria-current="page" href="{LIST_URL}">Sessions</a>' in content
