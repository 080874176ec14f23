"""Daily symptom check-in: list, day page (create/edit), delete, CSV export."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, SymptomLogFactory
from tracker.models import RED_FLAG_SYMPTOMS, TRIGGER_POINTS, SymptomLog

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def day_url(day: datetime.date | str) -> str:
    text = day if isinstance(day, str) else day.isoformat()
    return reverse("symptom_day", kwargs={"day": text})


def delete_url(day: datetime.date | str) -> str:
    text = day if isinstance(day, str) else day.isoformat()
    return reverse("symptom_delete", kwargs={"day": text})


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def check_in(**overrides) -> dict:
    """A complete, valid POST for the day page."""
    data = {
        "pain_at_rest": "3",
        "pain_next_morning": "4",
        "stiffness": "5",
        "night_cramps": "2",
        "notes": "Walked to work.",
    }
    data.update(overrides)
    return data


# --- Login required -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("symptom_list"),
        reverse("export_symptoms"),
        day_url("2024-05-01"),
    ],
)
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_post_saves_nothing(client, patient):
    response = client.post(day_url(days_ago(1)), check_in())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not SymptomLog.objects.exists()


def test_delete_requires_login(client, patient):
    log = SymptomLogFactory(patient=patient)
    response = client.post(delete_url(log.date), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SymptomLog.objects.filter(pk=log.pk).exists()


def test_physio_without_profile_is_sent_to_admin(client, physio):
    client.force_login(physio)
    response = client.get(reverse("symptom_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# --- Day page: dates in the URL -----------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_day", ["abc", "2024-13-01", "2024-02-30", "20240101", "2024-1-1", "2024-W01-1", "0000-01-01"]
)
def test_malformed_date_is_404(patient_client, bad_day):
    assert patient_client.get(day_url(bad_day)).status_code == 404
    assert patient_client.post(day_url(bad_day), check_in()).status_code == 404
    assert not SymptomLog.objects.exists()


def test_future_date_is_404(patient_client):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    assert patient_client.get(day_url(tomorrow)).status_code == 404
    assert patient_client.post(day_url(tomorrow), check_in()).status_code == 404
    assert not SymptomLog.objects.exists()


def test_date_before_1900_is_404_but_1900_works(patient_client):
    assert patient_client.get(day_url("1899-12-31")).status_code == 404
    assert patient_client.get(day_url("1900-01-01")).status_code == 200


def test_today_works(patient_client):
    response = patient_client.get(day_url(TODAY()))
    assert response.status_code == 200
    assert "(today)" in response.content.decode()


# --- Day page: the form -------------------------------------------------------------------------


def test_new_day_shows_blank_form(patient_client):
    day = days_ago(3)
    response = patient_client.get(day_url(day))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.instance.pk is None
    assert form["pain_at_rest"].value() is None
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="limping"' in html
    assert "Delete" not in html  # nothing to delete yet


def test_body_map_renders_eight_labelled_checkboxes(patient_client):
    response = patient_client.get(day_url(days_ago(1)))
    html = response.content.decode()
    for field, label in TRIGGER_POINTS:
        assert f'<input type="checkbox" name="{field}" class="form-check-input" id="id_{field}">' in html
        assert f'<label class="form-check-label" for="id_{field}">{label}</label>' in html
        # Each checkbox has its dot on the map, linked by the input id.
        assert f'data-input="id_{field}"' in html
    assert html.count('class="tp"') == 8
    assert '<legend class="fs-6 fw-semibold">Left calf</legend>' in html
    assert '<legend class="fs-6 fw-semibold">Right calf</legend>' in html
    assert 'role="img"' in html and 'aria-labelledby="body-map-title"' in html
    assert "Seen from behind" in html
    assert "back of the knee" in html and "instep" in html and "outer side of the calf" in html
    assert "Warning signs — tick any you have today" in html
    assert "0 = no pain, 10 = worst pain imaginable" in html
    assert 'src="/static/tracker/symptoms.js"' in html
    assert "<script>" not in html.split("</footer>")[0]  # no inline script in the page body
    assert 'style="' not in html


def test_body_map_positions_follow_the_seen_from_behind_layout():
    from tracker.forms.symptoms import BODY_MAP_XY

    midline = 150
    for side in ("left", "right"):
        upper_medial = BODY_MAP_XY[f"tp_{side}_upper_medial"]
        lower_medial = BODY_MAP_XY[f"tp_{side}_lower_medial"]
        upper_lateral = BODY_MAP_XY[f"tp_{side}_upper_lateral"]
        lower_lateral = BODY_MAP_XY[f"tp_{side}_lower_lateral"]
        # Medial points are nearer the midline than lateral ones, and lower points lie lower.
        assert abs(upper_medial[0] - midline) < abs(upper_lateral[0] - midline)
        assert lower_medial[1] > upper_medial[1] and lower_lateral[1] > upper_lateral[1]
        # Lateral points sit a little lower than their medial mirror.
        assert upper_lateral[1] > upper_medial[1] and lower_lateral[1] > lower_medial[1]
    # Left leg on the left of the picture.
    assert all(BODY_MAP_XY[f][0] < midline for f in BODY_MAP_XY if "_left_" in f)
    assert all(BODY_MAP_XY[f][0] > midline for f in BODY_MAP_XY if "_right_" in f)


def test_ticked_points_are_drawn_ticked(patient_client, patient):
    day = days_ago(2)
    SymptomLogFactory(patient=patient, date=day, tp_right_upper_lateral=True)
    html = patient_client.get(day_url(day)).content.decode()
    assert html.count('class="tp is-tender"') == 1
    assert 'class="tp is-tender" data-input="id_tp_right_upper_lateral"' in html
    assert (
        'name="tp_right_upper_lateral" class="form-check-input" id="id_tp_right_upper_lateral" checked'
        in html
    )


def test_create_check_in(patient_client, patient):
    day = days_ago(1)
    response = patient_client.post(day_url(day), check_in(limping="on"), follow=True)
    assert response.redirect_chain == [(reverse("symptom_list"), 302)]
    log = SymptomLog.objects.get(patient=patient)
    assert log.date == day
    assert (log.pain_at_rest, log.pain_next_morning, log.stiffness, log.night_cramps) == (3, 4, 5, 2)
    assert log.limping is True
    assert log.notes == "Walked to work."
    levels = [m.level for m in response.context["messages"]]
    assert levels == [message_levels.SUCCESS]
    assert "saved" in response.content.decode()


def test_second_check_in_on_the_same_day_edits_the_first(patient_client, patient):
    day = days_ago(1)
    patient_client.post(day_url(day), check_in(pain_at_rest="3"))
    first = SymptomLog.objects.get(patient=patient)

    # The page now shows the saved values ...
    response = patient_client.get(day_url(day))
    assert response.context["form"]["pain_at_rest"].value() == 3
    assert response.context["form"].instance.pk == first.pk

    # ... and a second save updates the same row.
    response = patient_client.post(day_url(day), check_in(pain_at_rest="6", night_cramps=""), follow=True)
    assert response.status_code == 200
    assert SymptomLog.objects.filter(patient=patient).count() == 1
    first.refresh_from_db()
    assert first.pain_at_rest == 6
    assert first.night_cramps is None  # an empty box means unanswered, never "0 cramps"
    assert "updated" in response.content.decode()


def test_empty_check_in_is_allowed(patient_client, patient):
    day = days_ago(1)
    response = patient_client.post(day_url(day), {})
    assert response.status_code == 302
    log = SymptomLog.objects.get(patient=patient)
    assert log.pain_at_rest is None and log.night_cramps is None and log.tender_points() == []


def test_the_cramps_box_starts_empty_and_an_unanswered_night_exports_empty(patient_client, patient):
    response = patient_client.get(day_url(days_ago(1)))
    assert response.context["form"]["night_cramps"].value() in (None, "")
    assert 'name="night_cramps" value=' not in response.content.decode()
    patient_client.post(day_url(days_ago(1)), check_in(night_cramps=""))
    rows = read_csv(patient_client.get(reverse("export_symptoms")))
    assert rows[1][3] == ""  # night_cramps: not answered
    patient_client.post(day_url(days_ago(2)), check_in(night_cramps="0"))
    assert SymptomLog.objects.get(patient=patient, date=days_ago(2)).night_cramps == 0


def test_two_tender_points_are_saved(patient_client, patient):
    day = days_ago(1)
    data = check_in(tp_left_lower_medial="on", tp_right_upper_lateral="on")
    patient_client.post(day_url(day), data)
    log = SymptomLog.objects.get(patient=patient, date=day)
    assert log.tp_left_lower_medial and log.tp_right_upper_lateral
    ticked = [field for field, _label in TRIGGER_POINTS if getattr(log, field)]
    assert ticked == ["tp_left_lower_medial", "tp_right_upper_lateral"]

    # Unticking one on a later edit clears it.
    patient_client.post(day_url(day), check_in(tp_left_lower_medial="on"))
    log.refresh_from_db()
    assert log.tp_left_lower_medial and not log.tp_right_upper_lateral


def test_red_flag_shows_urgent_message(patient_client, patient):
    day = days_ago(1)
    response = patient_client.post(
        day_url(day), check_in(flag_dvt_signs="on", flag_numbness="on"), follow=True
    )
    log = SymptomLog.objects.get(patient=patient)
    assert log.red_flag_codes() == ["dvt_signs", "numbness"]
    messages = list(response.context["messages"])
    urgent = [m for m in messages if m.level == message_levels.ERROR]
    assert len(urgent) == 2
    assert all("Seek urgent medical care today" in m.message for m in urgent)
    assert all("tell your physiotherapist" in m.message for m in urgent)
    html = response.content.decode()
    assert 'class="alert alert-danger alert-dismissible fade show" role="alert"' in html
    assert "Calf red, warm, swollen and painful" in html
    # The list marks that day with a warning-sign badge.
    assert "2 warning signs" in html


def test_no_red_flag_no_urgent_message(patient_client):
    response = patient_client.post(day_url(days_ago(1)), check_in(), follow=True)
    assert not [m for m in response.context["messages"] if m.level == message_levels.ERROR]
    assert "Seek urgent medical care" not in response.content.decode()


def test_day_page_reminds_of_saved_warning_signs(patient_client, patient):
    day = days_ago(4)
    SymptomLogFactory(patient=patient, date=day, flag_tear_pop=True)
    html = patient_client.get(day_url(day)).content.decode()
    assert 'id="saved-warning-signs"' in html
    assert "Seek urgent medical care today" in html
    for field, _code in RED_FLAG_SYMPTOMS:
        assert f'name="{field}"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain_at_rest", "11", "Enter a whole number from 0 to 10."),
        ("pain_at_rest", "-1", "Enter a whole number from 0 to 10."),
        ("pain_next_morning", "abc", "Enter a whole number from 0 to 10."),
        ("stiffness", "NaN", "Enter a whole number from 0 to 10."),
        ("stiffness", "Infinity", "Enter a whole number from 0 to 10."),
        ("pain_at_rest", "2.5", "Enter a whole number from 0 to 10."),
        ("night_cramps", "21", "Enter a whole number from 0 to 20."),
        ("night_cramps", "abc", "Enter a whole number from 0 to 20."),
    ],
)
def test_invalid_input_keeps_what_was_typed(patient_client, field, value, message):
    day = days_ago(1)
    data = check_in(**{field: value}, tp_left_upper_medial="on", notes="Keep me")
    response = patient_client.post(day_url(day), data)
    assert response.status_code == 200
    assert not SymptomLog.objects.exists()
    form = response.context["form"]
    assert form.errors[field] == [message]
    html = response.content.decode()
    assert "Your check-in was not saved" in html
    # The bad value, the other values and the ticked point all come back.
    assert f'name="{field}" value="{value}"' in html
    assert 'aria-invalid="true"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html
    assert "Keep me" in html
    assert 'class="tp is-tender" data-input="id_tp_left_upper_medial"' in html


def test_invalid_edit_does_not_change_the_saved_row(patient_client, patient):
    day = days_ago(1)
    log = SymptomLogFactory(patient=patient, date=day, pain_at_rest=2)
    response = patient_client.post(day_url(day), check_in(pain_at_rest="11"))
    assert response.status_code == 200
    log.refresh_from_db()
    assert log.pain_at_rest == 2


def test_notes_too_long_is_refused(patient_client):
    response = patient_client.post(day_url(days_ago(1)), check_in(notes="x" * 2001))
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    assert not SymptomLog.objects.exists()


# --- Day page: never another patient's check-in --------------------------------------------------


def test_day_page_does_not_show_another_patients_check_in(patient_client, other_patient):
    day = days_ago(1)
    SymptomLogFactory(patient=other_patient, date=day, pain_at_rest=9, notes="Olga's private note")
    response = patient_client.get(day_url(day))
    assert response.status_code == 200
    assert response.context["form"].instance.pk is None
    html = response.content.decode()
    assert "Olga's private note" not in html
    assert 'value="9"' not in html


def test_saving_never_touches_another_patients_check_in(patient_client, patient, other_patient):
    day = days_ago(1)
    theirs = SymptomLogFactory(patient=other_patient, date=day, pain_at_rest=9, notes="Olga")
    patient_client.post(day_url(day), check_in(pain_at_rest="1", notes="Anna"))
    theirs.refresh_from_db()
    assert (theirs.pain_at_rest, theirs.notes) == (9, "Olga")
    mine = SymptomLog.objects.get(patient=patient, date=day)
    assert (mine.pain_at_rest, mine.notes) == (1, "Anna")
    assert SymptomLog.objects.count() == 2


# --- Day switcher -------------------------------------------------------------------------------


def test_day_switcher_goes_to_that_day(patient_client):
    response = patient_client.get(day_url(TODAY()), {"day": "2024-05-01"})
    assert response.status_code == 302
    assert response["Location"] == day_url("2024-05-01")


@pytest.mark.parametrize("bad", ["", "abc", "1899-12-31"])
def test_day_switcher_rejects_bad_dates(patient_client, bad):
    response = patient_client.get(day_url(TODAY()), {"day": bad})
    assert response.status_code == 200
    assert response.context["switcher"].errors
    assert 'aria-describedby="id_day_error"' in response.content.decode()


def test_day_switcher_rejects_future_dates(patient_client):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = patient_client.get(day_url(TODAY()), {"day": tomorrow})
    assert response.status_code == 200
    assert "This date is in the future" in response.content.decode()


# --- Delete -------------------------------------------------------------------------------------


def test_delete_rejects_get(patient_client, patient):
    log = SymptomLogFactory(patient=patient)
    assert patient_client.get(delete_url(log.date)).status_code == 405
    assert SymptomLog.objects.filter(pk=log.pk).exists()


def test_delete_asks_then_deletes(patient_client, patient):
    log = SymptomLogFactory(patient=patient)
    response = patient_client.post(delete_url(log.date))
    assert response.status_code == 200
    assert "Yes, delete it" in response.content.decode()
    assert SymptomLog.objects.filter(pk=log.pk).exists()

    response = patient_client.post(delete_url(log.date), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(reverse("symptom_list"), 302)]
    assert not SymptomLog.objects.filter(pk=log.pk).exists()
    assert "Deleted" in response.content.decode()


def test_day_page_offers_delete_for_an_existing_check_in(patient_client, patient):
    log = SymptomLogFactory(patient=patient)
    html = patient_client.get(day_url(log.date)).content.decode()
    assert f'action="{delete_url(log.date)}"' in html


def test_delete_never_touches_another_patients_check_in(patient_client, patient, other_patient):
    day = days_ago(1)
    theirs = SymptomLogFactory(patient=other_patient, date=day)
    response = patient_client.post(delete_url(day), {"confirm": "yes"})
    assert response.status_code == 404
    assert SymptomLog.objects.filter(pk=theirs.pk).exists()

    mine = SymptomLogFactory(patient=patient, date=day)
    patient_client.post(delete_url(day), {"confirm": "yes"})
    assert not SymptomLog.objects.filter(pk=mine.pk).exists()
    assert SymptomLog.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("bad_day", ["abc", "2024-02-30", "1899-12-31"])
def test_delete_with_bad_date_is_404(patient_client, bad_day):
    assert patient_client.post(delete_url(bad_day), {"confirm": "yes"}).status_code == 404


# --- List ---------------------------------------------------------------------------------------


def test_empty_list_says_what_to_do(patient_client):
    response = patient_client.get(reverse("symptom_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have not checked in yet" in html
    assert f'href="{day_url(TODAY())}"' in html
    assert "Check in for today" in html
    assert "<table" not in html


def test_list_shows_own_check_ins_newest_first(patient_client, patient, other_patient):
    SymptomLogFactory(patient=patient, date=days_ago(5), pain_at_rest=1)
    SymptomLogFactory(
        patient=patient,
        date=days_ago(2),
        pain_at_rest=7,
        limping=True,
        tp_left_lower_medial=True,
        tp_right_upper_lateral=True,
        flag_severe_pain=True,
    )
    SymptomLogFactory(patient=other_patient, date=days_ago(3), notes="Olga")
    response = patient_client.get(reverse("symptom_list"))
    rows = response.context["rows"]
    assert [row["log"].date for row in rows] == [days_ago(2), days_ago(5)]
    html = response.content.decode()
    assert f'href="{day_url(days_ago(2))}"' in html
    assert f'href="{day_url(days_ago(3))}"' not in html
    assert "2:" in html and ">L-LM</abbr>" in html and ">R-UL</abbr>" in html
    assert "1 warning sign<" in html
    # Named in sight, not only in a tooltip or for screen readers: a phone has no hover.
    assert '<span class="small d-block">Severe pain out of proportion' in html
    assert "Download all check-ins as CSV" in html


def test_list_date_filter(patient_client, patient):
    SymptomLogFactory(patient=patient, date=days_ago(10))
    SymptomLogFactory(patient=patient, date=days_ago(5))
    SymptomLogFactory(patient=patient, date=days_ago(1))
    response = patient_client.get(
        reverse("symptom_list"),
        {"date_from": days_ago(6).isoformat(), "date_to": days_ago(2).isoformat()},
    )
    assert [row["log"].date for row in response.context["rows"]] == [days_ago(5)]

    response = patient_client.get(reverse("symptom_list"), {"date_from": days_ago(0).isoformat()})
    assert "No check-ins in these dates" in response.content.decode()


def test_list_is_paginated_by_25(patient_client, patient):
    for n in range(1, 28):
        SymptomLogFactory(patient=patient, date=days_ago(n))
    response = patient_client.get(reverse("symptom_list"))
    assert len(response.context["rows"]) == 25
    assert response.context["rows"][0]["log"].date == days_ago(1)
    response = patient_client.get(reverse("symptom_list"), {"page": 2})
    assert [row["log"].date for row in response.context["rows"]] == [days_ago(26), days_ago(27)]


def test_list_query_count_is_constant(patient_client, patient, django_assert_max_num_queries):
    for n in range(1, 4):
        SymptomLogFactory(patient=patient, date=days_ago(n), tp_left_upper_medial=True, flag_numbness=True)
    with CaptureQueriesContext(connection) as few:
        assert patient_client.get(reverse("symptom_list")).status_code == 200
    for n in range(4, 31):
        SymptomLogFactory(patient=patient, date=days_ago(n), tp_left_upper_medial=True, flag_numbness=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = patient_client.get(reverse("symptom_list"))
    assert len(response.context["rows"]) == 25


def test_list_notes_done_today(patient_client, patient):
    assert "Done today" not in patient_client.get(reverse("symptom_list")).content.decode()
    SymptomLogFactory(patient=patient, date=TODAY())
    assert "Done today" in patient_client.get(reverse("symptom_list")).content.decode()


def test_nav_has_check_in_link(patient_client):
    html = patient_client.get(reverse("symptom_list")).content.decode()
    assert f'aria-current="page" href="{reverse("symptom_list")}">Check-in</a>' in html


# --- Export -------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_export_columns_and_own_rows_by_date(patient_client, patient, other_patient):
    SymptomLogFactory(
        patient=patient,
        date=datetime.date(2024, 5, 3),
        pain_at_rest=None,
        pain_next_morning=4,
        night_cramps=0,
        stiffness=6,
        limping=True,
        tp_left_lower_medial=True,
        tp_right_upper_lateral=True,
        flag_dvt_signs=True,
        notes="=SUM(A1)",
    )
    SymptomLogFactory(patient=patient, date=datetime.date(2024, 5, 1), pain_at_rest=2, notes="")
    SymptomLogFactory(patient=other_patient, date=datetime.date(2024, 5, 2), notes="Olga")
    response = patient_client.get(reverse("export_symptoms"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="symptoms.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "date",
        "pain_at_rest",
        "pain_next_morning",
        "night_cramps",
        "stiffness",
        "limping",
        "tender_points",
        "red_flags",
        "notes",
    ]
    assert rows[1] == ["2024-05-01", "2", "2", "1", "4", "no", "", "", ""]
    assert rows[2] == [
        "2024-05-03",
        "",
        "4",
        "0",
        "6",
        "yes",
        "left_lower_medial;right_upper_lateral",
        "dvt_signs",
        "'=SUM(A1)",
    ]
    assert len(rows) == 3  # Olga's row is not there


def test_export_with_no_rows_has_the_header_only(patient_client):
    rows = read_csv(patient_client.get(reverse("export_symptoms")))
    assert len(rows) == 1 and rows[0][0] == "date"


def test_export_rejects_post(patient_client):
    assert patient_client.post(reverse("export_symptoms")).status_code == 405


def test_other_patient_export_is_separate(client, patient):
    olga = PatientFactory(username="olga2")
    SymptomLogFactory(patient=patient, notes="Anna")
    SymptomLogFactory(patient=olga, notes="Olga")
    client.force_login(olga)
    rows = read_csv(client.get(reverse("export_symptoms")))
    assert [row[-1] for row in rows[1:]] == ["Olga"]
