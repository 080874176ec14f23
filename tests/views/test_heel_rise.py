"""Heel-rise test pages: list, new, edit, delete and the CSV export."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import HeelRiseTestFactory, PatientFactory, SymptomLogFactory
from tests.helpers import text_of
from tracker.models import HeelRiseTest

TODAY = timezone.localdate()
LIST_URL = reverse("heel_rise_list")
NEW_URL = reverse("heel_rise_new")
EXPORT_URL = reverse("export_heel_rise")


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def form_data(**overrides) -> dict:
    data = {
        "date": days_ago(1).isoformat(),
        "reps_left": "12",
        "reps_right": "27",
        "incline": "10",
        "notes": "",
    }
    data.update(overrides)
    return data


def set_profile(user, **fields) -> None:
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


# --- login and ownership ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("heel_rise_list", [], "get"),
        ("heel_rise_new", [], "get"),
        ("heel_rise_new", [], "post"),
        ("heel_rise_edit", [1], "get"),
        ("heel_rise_delete", [1], "post"),
        ("export_heel_rise", [], "get"),
    ],
)
def test_it_requires_login(client, name, args, method):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_physio_without_profile_is_sent_to_admin(client, physio):
    client.force_login(physio)
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_edit_checks_ownership(patient_client, other_patient):
    theirs = HeelRiseTestFactory(patient=other_patient)
    assert patient_client.get(reverse("heel_rise_edit", args=[theirs.pk])).status_code == 404
    response = patient_client.post(reverse("heel_rise_edit", args=[theirs.pk]), form_data(reps_left="99"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.reps_left == 12


def test_delete_checks_ownership(patient_client, other_patient):
    theirs = HeelRiseTestFactory(patient=other_patient)
    response = patient_client.post(reverse("heel_rise_delete", args=[theirs.pk]), {"confirm": "yes"})
    assert response.status_code == 404
    assert HeelRiseTest.objects.filter(pk=theirs.pk).exists()


def test_delete_rejects_get(patient_client, patient):
    test = HeelRiseTestFactory(patient=patient)
    assert patient_client.get(reverse("heel_rise_delete", args=[test.pk])).status_code == 405
    assert HeelRiseTest.objects.filter(pk=test.pk).exists()


def test_export_rejects_post(patient_client):
    assert patient_client.post(EXPORT_URL).status_code == 405


# --- list ------------------------------------------------------------------------------------------


def test_list_empty_state(patient_client):
    response = patient_client.get(LIST_URL)
    assert response.status_code == 200
    assert "No heel-rise tests yet" in response.text
    assert reverse("heel_rise_new") in response.text


def test_list_shows_row_lsi_incline_and_norm_for_women(patient_client, patient):
    set_profile(patient, sex="F")
    HeelRiseTestFactory(patient=patient, date=days_ago(3), reps_left=12, reps_right=27, incline=10)
    response = patient_client.get(LIST_URL)
    assert response.status_code == 200
    text = response.text
    assert "44.4%" in text
    assert "10° incline board" in text
    assert "Typical for women: 21 rises" in text
    assert "First test" in text


def test_list_norm_for_men_and_unknown_sex(patient_client, patient):
    HeelRiseTestFactory(patient=patient)
    assert "Typical for adults: 28 ± 10 rises" in patient_client.get(LIST_URL).text
    set_profile(patient, sex="M")
    assert "Typical for men: 24 rises" in patient_client.get(LIST_URL).text


def test_list_uses_affected_side_for_lsi(patient_client, patient):
    set_profile(patient, affected_side="right")
    HeelRiseTestFactory(patient=patient, reps_left=20, reps_right=15)
    assert "75.0%" in patient_client.get(LIST_URL).text


def test_list_zero_reps_on_uninvolved_side_shows_dash(patient_client, patient):
    HeelRiseTestFactory(patient=patient, reps_left=10, reps_right=0)  # left affected, right uninvolved
    response = patient_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.context["rows"][0].lsi is None
    assert "<td data-label=\"LSI\">—<span class=\"d-block small\">below target</span></td>" in response.text


def test_list_marks_real_change_and_test_error(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(20), reps_left=10, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(10), reps_left=16, reps_right=22)
    response = patient_client.get(LIST_URL)
    newest = response.context["rows"][0]
    assert [(c.side, c.delta, c.real) for c in newest.changes] == [("Left", 6, True), ("Right", -5, False)]
    assert "Left +6:" in response.text
    assert "real change" in response.text
    assert "Right -5:" in response.text
    assert "within test error" in response.text


def test_list_change_below_six_is_not_real(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(20), reps_left=10, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(10), reps_left=15, reps_right=27)
    response = patient_client.get(LIST_URL)
    assert "real change" not in response.text
    # Since the previous and since the first test, and once in the explanation above the table.
    assert response.text.count("within test error") == 5


def test_list_compares_with_previous_test_even_when_filtered_out(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(40), reps_left=5, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(5), reps_left=12, reps_right=27)
    response = patient_client.get(LIST_URL, {"date_from": days_ago(10).isoformat()})
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0].changes[0].delta == 7


def test_list_is_own_rows_newest_first(patient_client, patient, other_patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(30))
    HeelRiseTestFactory(patient=patient, date=days_ago(2))
    HeelRiseTestFactory(patient=other_patient, date=days_ago(1), reps_left=177)
    response = patient_client.get(LIST_URL)
    dates = [row.test.date for row in response.context["rows"]]
    assert dates == [days_ago(2), days_ago(30)]
    assert "177" not in text_of(response)  # not in the raw HTML: a record id on PostgreSQL may hold 177


def test_list_date_filter(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(30))
    HeelRiseTestFactory(patient=patient, date=days_ago(2))
    response = patient_client.get(LIST_URL, {"date_from": days_ago(5).isoformat()})
    assert [row.test.date for row in response.context["rows"]] == [days_ago(2)]
    response = patient_client.get(LIST_URL, {"date_to": days_ago(40).isoformat()})
    assert response.context["rows"] == []
    assert "No heel-rise tests in this date range" in response.text


def test_list_paginates_25(patient_client, patient):
    HeelRiseTestFactory.create_batch(27, patient=patient)
    first = patient_client.get(LIST_URL)
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in first.text
    second = patient_client.get(LIST_URL, {"page": 2})
    assert len(second.context["rows"]) == 2


def test_list_query_count_is_constant(patient_client, patient, django_assert_max_num_queries):
    HeelRiseTestFactory.create_batch(3, patient=patient)
    with CaptureQueriesContext(connection) as few:
        assert patient_client.get(LIST_URL).status_code == 200
    HeelRiseTestFactory.create_batch(27, patient=patient)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = patient_client.get(LIST_URL)
    assert len(response.context["rows"]) == 25


# --- new and edit ------------------------------------------------------------------------------------


def test_new_form_defaults_to_today_and_shows_protocol(patient_client):
    response = patient_client.get(NEW_URL)
    assert response.status_code == 200
    assert f'value="{TODAY.isoformat()}"' in response.text
    assert "metronome at 60 bpm" in response.text
    assert "30 rises a minute" in response.text
    assert "knee straight" in response.text


def test_while_a_warning_sign_pauses_her_exercises_the_form_says_the_test_waits_too(patient_client, patient):
    """"Pause your calf exercises" on the dashboard, and this form still asked for a test to fatigue."""
    assert "works your calf to fatigue" not in text_of(patient_client.get(NEW_URL))
    assert "you have done" not in text_of(patient_client.get(LIST_URL))
    SymptomLogFactory(patient=patient, date=timezone.localdate(), flag_dvt_signs=True)
    text = text_of(patient_client.get(NEW_URL))
    assert "Pause your calf exercises and heel-rise tests until you have been seen." in text
    assert "The test works your calf to fatigue. You can still record a test you have already done." in text
    assert "Record a heel-rise test you have done" in text  # the heading, as the list's button
    assert "Record a test you have done" in text_of(patient_client.get(LIST_URL))
    test = HeelRiseTestFactory(patient=patient)
    edit = text_of(patient_client.get(reverse("heel_rise_edit", args=[test.pk])))
    assert "works your calf to fatigue" not in edit  # correcting a test already done


def test_new_saves_and_reports_lsi(patient_client, patient):
    response = patient_client.post(NEW_URL, form_data(notes="Left calf tired early"), follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    test = HeelRiseTest.objects.get(patient=patient)
    assert (test.reps_left, test.reps_right, test.incline, test.notes) == (
        12,
        27,
        10,
        "Left calf tired early",
    )
    assert "Saved: left 12, right 27 — LSI 44.4% (target 90%: not reached yet)" in response.text


def test_new_message_uses_her_target(patient_client, patient):
    set_profile(patient, target_lsi="95.5")
    response = patient_client.post(NEW_URL, form_data(), follow=True)
    assert "(target 95.5%: not reached yet)" in response.text


def test_new_with_zero_on_uninvolved_side(patient_client, patient):
    response = patient_client.post(NEW_URL, form_data(reps_left="8", reps_right="0"), follow=True)
    assert response.status_code == 200
    assert "Saved: left 8, right 0 — LSI — (no rises on the uninvolved side)" in response.text
    assert HeelRiseTest.objects.filter(patient=patient, reps_right=0).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reps_left", "201", "Enter a whole number from 0 to 200."),
        ("reps_right", "-1", "Enter a whole number from 0 to 200."),
        ("reps_left", "abc", "Enter a whole number"),
        ("reps_right", "NaN", "Enter a whole number"),
        ("reps_left", "Infinity", "Enter a whole number"),
        ("date", (TODAY + datetime.timedelta(days=1)).isoformat(), "This date is in the future"),
        ("date", "1899-12-31", "Enter a date from 1900 onwards"),
        ("date", "not-a-date", "Enter a valid date"),
        ("incline", "5", "Select a valid choice"),
    ],
)
def test_new_rejects_bad_input_and_keeps_it(patient_client, patient, field, value, message):
    data = form_data(notes="kept note", **{field: value})
    response = patient_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert not HeelRiseTest.objects.filter(patient=patient).exists()
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert message in response.text
    assert "kept note" in response.text
    if field != "incline":
        assert f'value="{value}"' in response.text
    # The error is tied to its field for screen readers.
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error[^"]*" id="id_{field}"', response.text)


def test_edit_shows_and_saves(patient_client, patient):
    test = HeelRiseTestFactory(patient=patient, date=days_ago(4), reps_left=12, reps_right=27, notes="first")
    url = reverse("heel_rise_edit", args=[test.pk])
    response = patient_client.get(url)
    assert response.status_code == 200
    assert f'value="{days_ago(4).isoformat()}"' in response.text
    assert "Edit heel-rise test" in response.text
    response = patient_client.post(url, form_data(reps_left="18", date=days_ago(4).isoformat()), follow=True)
    test.refresh_from_db()
    assert test.reps_left == 18
    assert "Saved: left 18, right 27 — LSI 66.7% (target 90%: not reached yet)" in response.text


def test_edit_invalid_keeps_input_and_row(patient_client, patient):
    test = HeelRiseTestFactory(patient=patient, reps_left=12)
    response = patient_client.post(reverse("heel_rise_edit", args=[test.pk]), form_data(reps_left="250"))
    assert response.status_code == 200
    assert 'value="250"' in response.text
    test.refresh_from_db()
    assert test.reps_left == 12


# --- delete ----------------------------------------------------------------------------------------


def test_delete_asks_then_deletes(patient_client, patient):
    test = HeelRiseTestFactory(patient=patient)
    url = reverse("heel_rise_delete", args=[test.pk])
    response = patient_client.post(url)
    assert response.status_code == 200
    assert "Delete heel-rise test?" in response.text
    assert HeelRiseTest.objects.filter(pk=test.pk).exists()
    response = patient_client.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert not HeelRiseTest.objects.filter(pk=test.pk).exists()
    assert "Deleted: Heel-rise test on" in response.text


def test_list_rows_have_edit_and_delete(patient_client, patient):
    test = HeelRiseTestFactory(patient=patient)
    text = patient_client.get(LIST_URL).text
    assert reverse("heel_rise_edit", args=[test.pk]) in text
    assert f'action="{reverse("heel_rise_delete", args=[test.pk])}"' in text


# --- export ----------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_export_columns_own_rows_in_date_order(patient_client, patient, other_patient):
    HeelRiseTestFactory(
        patient=patient, date=days_ago(2), reps_left=16, reps_right=25, incline=0, notes="=SUM(A1)"
    )
    HeelRiseTestFactory(patient=patient, date=days_ago(9), reps_left=12, reps_right=27, incline=10)
    HeelRiseTestFactory(patient=other_patient, date=days_ago(5), reps_left=99)
    response = patient_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="heel-rise.csv"' in response["Content-Disposition"]
    assert read_csv(response) == [
        ["date", "reps_left", "reps_right", "lsi_percent", "incline_degrees", "notes"],
        [days_ago(9).isoformat(), "12", "27", "44.4", "10", ""],
        [days_ago(2).isoformat(), "16", "25", "64.0", "0", "'=SUM(A1)"],
    ]


def test_export_empty_lsi_when_uninvolved_side_is_zero(patient_client, patient):
    HeelRiseTestFactory(patient=patient, reps_left=4, reps_right=0)
    rows = read_csv(patient_client.get(EXPORT_URL))
    assert rows[1][1:4] == ["4", "0", ""]


def test_export_with_no_tests_is_header_only(patient_client):
    assert read_csv(patient_client.get(EXPORT_URL)) == [
        ["date", "reps_left", "reps_right", "lsi_percent", "incline_degrees", "notes"]
    ]


def test_nav_links_to_list(patient_client):
    assert f'href="{LIST_URL}">Heel-rise tests</a>' in patient_client.get(reverse("profile")).text


def test_other_patient_unaffected_by_anna_saving(client, patient):
    someone = PatientFactory()
    client.force_login(someone)
    client.post(NEW_URL, form_data())
    assert HeelRiseTest.objects.get().patient == someone
    assert not HeelRiseTest.objects.filter(patient=patient).exists()


def test_list_says_a_real_change_since_the_first_test_that_no_single_step_shows(patient_client, patient):
    """Nine +1 steps are each within test error; +9 since the first test is real."""
    for week in range(10):
        HeelRiseTestFactory(patient=patient, date=days_ago(70 - 7 * week), reps_left=12 + week, reps_right=27)
    response = patient_client.get(LIST_URL)
    newest = response.context["rows"][0]
    assert [(c.side, c.delta, c.real) for c in newest.changes] == [("Left", 1, False), ("Right", 0, False)]
    assert [(c.side, c.delta, c.real) for c in newest.since_first] == [("Left", 9, True), ("Right", 0, False)]
    assert "Since your first test" in response.text
    assert not newest.target_reached and "below target" in response.text


def test_list_marks_a_change_of_surface(patient_client, patient):
    HeelRiseTestFactory(patient=patient, date=days_ago(20), incline=10)
    HeelRiseTestFactory(patient=patient, date=days_ago(10), incline=0)
    rows = patient_client.get(LIST_URL).context["rows"]
    assert rows[0].surface_changed and not rows[1].surface_changed
    assert "not comparable with the previous test" in patient_client.get(LIST_URL).text


def test_new_form_defaults_to_her_last_surface_and_says_so(patient_client, patient):
    form = patient_client.get(NEW_URL).context["form"]
    assert form["incline"].value() == 0  # no test yet: the model default
    HeelRiseTestFactory(patient=patient, date=days_ago(30), incline=0)
    HeelRiseTestFactory(patient=patient, date=days_ago(14), incline=10)
    response = patient_client.get(NEW_URL)
    assert response.context["form"]["incline"].value() == 10
    assert "Set to the surface of your last test (10° incline board, " in response.text
    first = patient.heel_rise_tests.order_by("date")[0]
    edit = patient_client.get(reverse("heel_rise_edit", args=[first.pk]))
    assert edit.context["form"]["incline"].value() == 0  # editing keeps the test's own surface
