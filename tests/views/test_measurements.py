"""Girth measurement pages: list, add, edit, delete."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import GirthMeasurementFactory
from tracker.models import GirthMeasurement

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
SWELLING = "Sudden calf swelling can be a sign of a blood clot. Seek medical review today."
RECHECK_LABEL = "I have re-checked; save these readings"


def valid_data(**overrides) -> dict:
    data = {
        "date": YESTERDAY.isoformat(),
        "site": "tt10",
        "left_1": "34.2",
        "left_2": "",
        "left_3": "",
        "right_1": "37.6",
        "right_2": "",
        "right_3": "",
        "measured_by": "self",
        "notes": "After a rest day",
    }
    data.update(overrides)
    return data


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def set_unit(user, unit: str) -> None:
    user.profile.unit = unit
    user.profile.save()


# --- Login, ownership, methods --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("measurement_list", []),
        ("measurement_new", []),
        ("measurement_edit", [1]),
    ],
)
def test_pages_require_login(client, db, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_delete_requires_login(client, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    url = reverse("measurement_delete", args=[measurement.pk])
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert GirthMeasurement.objects.filter(pk=measurement.pk).exists()


def test_physio_without_profile_goes_to_admin(client, physio):
    client.force_login(physio)
    response = client.get(reverse("measurement_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_edit_of_another_patients_measurement_is_404(patient_client, other_patient):
    theirs = GirthMeasurementFactory(patient=other_patient)
    url = reverse("measurement_edit", args=[theirs.pk])
    assert patient_client.get(url).status_code == 404
    assert patient_client.post(url, valid_data(left_1="30.0")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.left_1 == Decimal("34.2")


def test_delete_of_another_patients_measurement_is_404(patient_client, other_patient):
    theirs = GirthMeasurementFactory(patient=other_patient)
    response = patient_client.post(
        reverse("measurement_delete", args=[theirs.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 404
    assert GirthMeasurement.objects.filter(pk=theirs.pk).exists()


def test_delete_rejects_get(patient_client, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    response = patient_client.get(reverse("measurement_delete", args=[measurement.pk]))
    assert response.status_code == 405
    assert GirthMeasurement.objects.filter(pk=measurement.pk).exists()


def test_delete_asks_first_then_deletes(patient_client, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    url = reverse("measurement_delete", args=[measurement.pk])

    response = patient_client.post(url)
    assert response.status_code == 200
    assert "Delete calf measurement?" in response.content.decode()
    assert GirthMeasurement.objects.filter(pk=measurement.pk).exists()

    response = patient_client.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("measurement_list")
    assert not GirthMeasurement.objects.filter(pk=measurement.pk).exists()
    assert any(text.startswith("Deleted:") for text in message_texts(response))


# --- List -------------------------------------------------------------------------------------------


def test_list_shows_means_lsi_and_difference_newest_first(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=20))
    GirthMeasurementFactory(
        patient=patient, date=YESTERDAY, left_1=Decimal("36.0"), right_1=Decimal("37.0")
    )
    response = patient_client.get(reverse("measurement_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "34.2 cm" in html and "37.6 cm" in html
    assert "91.0%" in html and "-3.4 cm" in html
    assert "97.3%" in html and "-1.0 cm" in html
    assert html.index("97.3%") < html.index("91.0%")  # newest first
    assert reverse("export_measurements") in html
    assert reverse("import_measurements") in html


def test_each_row_s_edit_and_delete_buttons_name_the_same_measurement(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=datetime.date(2026, 11, 3), site="tt10")
    html = patient_client.get(reverse("measurement_list")).content.decode()
    hidden = '<span class="visually-hidden"> measurement of 3 Nov 2026 (tt10)</span>'
    assert html.count(hidden) == 2  # "Edit measurement of ..." and "Delete measurement of ..."


def test_list_shows_inches_for_an_inches_patient(patient_client, patient):
    set_unit(patient, "in")
    GirthMeasurementFactory(patient=patient)
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "13.5 in" in html  # 34.2 cm
    assert "14.8 in" in html  # 37.6 cm
    assert "34.2 cm" not in html


def test_list_shows_only_her_measurements(patient_client, patient, other_patient):
    GirthMeasurementFactory(patient=other_patient, left_1=Decimal("55.5"))
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "55.5" not in html
    assert "not recorded any calf measurements yet" in html


def test_list_empty_state_links_to_first_measurement(patient_client):
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "not recorded any calf measurements yet" in html
    assert f'href="{reverse("measurement_new")}"' in html


def test_list_date_range_filter(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 3, 1), left_1=Decimal("31.1"))
    GirthMeasurementFactory(patient=patient, date=datetime.date(2024, 5, 1), left_1=Decimal("32.2"))
    response = patient_client.get(
        reverse("measurement_list"), {"date_from": "2024-04-01", "date_to": "2024-06-01"}
    )
    html = response.content.decode()
    assert "32.2 cm" in html
    assert "31.1 cm" not in html


def test_list_is_paginated_by_25(patient_client, patient):
    for days in range(1, 28):
        GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=days))
    response = patient_client.get(reverse("measurement_list"))
    assert len(response.context["rows"]) == 25
    assert "Page 1 of 2" in response.content.decode()
    response = patient_client.get(reverse("measurement_list"), {"page": 2})
    assert len(response.context["rows"]) == 2


def test_list_query_count_is_constant(patient_client, patient, django_assert_max_num_queries):
    def make(count: int, start: int) -> None:
        for days in range(start, start + count):
            GirthMeasurementFactory(
                patient=patient, date=TODAY - datetime.timedelta(days=days), site="tt10"
            )

    make(3, 1)
    with CaptureQueriesContext(connection) as few:
        assert patient_client.get(reverse("measurement_list")).status_code == 200
    make(27, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = patient_client.get(reverse("measurement_list"))
    assert len(response.context["rows"]) == 25


def test_list_row_shows_red_flag_badge(patient_client, patient):
    GirthMeasurementFactory(patient=patient, left_1=Decimal("41.0"), right_1=Decimal("37.6"))
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "Red flag" in html
    assert SWELLING in html


def test_list_row_flags_a_rise_within_7_days(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=5))
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=2), left_1=Decimal("36.4"))
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "left calf grew 2.2 cm in 3 days" in html


def test_list_without_red_flags_has_no_badge(patient_client, patient):
    GirthMeasurementFactory(patient=patient)
    html = patient_client.get(reverse("measurement_list")).content.decode()
    assert "Red flag" not in html


# --- Add ------------------------------------------------------------------------------------------


def test_new_form_defaults_to_today_and_explains_sites(patient_client):
    response = patient_client.get(reverse("measurement_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{TODAY.isoformat()}"' in html
    assert "tibial tuberosity" in html
    assert "Left calf, reading 1 (cm)" in html
    assert RECHECK_LABEL not in html  # the re-check box appears only when readings disagree


def test_new_saves_and_reports_symmetry(patient_client, patient):
    response = patient_client.post(reverse("measurement_new"), valid_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("measurement_list")
    saved = GirthMeasurement.objects.get(patient=patient)
    assert saved.left_cm == Decimal("34.20") and saved.right_cm == Decimal("37.60")
    assert saved.notes == "After a rest day"
    assert (
        "Saved: left 34.2 cm, right 37.6 cm — left calf 3.4 cm smaller: marked deficit (> 2 cm); "
        "goal: less than 1 cm smaller (not reached yet)." in message_texts(response)
    )
    assert SWELLING not in response.content.decode()


def test_new_stores_every_reading_and_the_mean(patient_client, patient):
    data = valid_data(left_1="34.1", left_2="34.3", left_3="34.2", right_1="37.6", right_2="37.7")
    patient_client.post(reverse("measurement_new"), data)
    saved = GirthMeasurement.objects.get(patient=patient)
    assert saved.left_readings == [Decimal("34.1"), Decimal("34.3"), Decimal("34.2")]
    assert saved.right_readings == [Decimal("37.6"), Decimal("37.7")]
    assert saved.left_cm == Decimal("34.20")
    assert saved.right_cm == Decimal("37.7")


@pytest.mark.parametrize(
    "value, error",
    [
        ("NaN", "Enter a number."),
        ("inf", "Enter a number."),
        ("-Infinity", "Enter a number."),
        ("abc", "Enter a number."),
        ("14.9", "Enter a girth from 15.0 to 80.0 cm."),
        ("80.1", "Enter a girth from 15.0 to 80.0 cm."),
        ("-34", "Enter a girth from 15.0 to 80.0 cm."),
        ("34.25", "Enter a girth from 15.0 to 80.0 cm, with at most one decimal."),
    ],
)
def test_new_refuses_bad_girth_and_keeps_input(patient_client, patient, value, error):
    response = patient_client.post(reverse("measurement_new"), valid_data(left_2=value))
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert f'value="{value}"' in html
    assert 'value="37.6"' in html and "After a rest day" in html
    assert 'aria-describedby="id_left_2_helptext id_left_2_error"' in html
    assert not GirthMeasurement.objects.exists()


def test_new_requires_first_reading_of_each_leg(patient_client):
    response = patient_client.post(reverse("measurement_new"), valid_data(right_1=""))
    assert response.status_code == 200
    assert response.context["form"].errors["right_1"] == ["This field is required."]
    assert not GirthMeasurement.objects.exists()


@pytest.mark.parametrize(
    "day, error",
    [
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "This date is in the future."),
        ("1899-12-31", "Enter a date from 1900 onwards."),
        ("not-a-date", "Enter a valid date."),
    ],
)
def test_new_refuses_bad_dates(patient_client, day, error):
    response = patient_client.post(reverse("measurement_new"), valid_data(date=day))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert any(error in e for e in response.context["form"].errors["date"])
    assert 'value="34.2"' in response.content.decode()
    assert not GirthMeasurement.objects.exists()


def test_new_same_site_and_date_offers_to_replace_it_keeping_what_she_typed(patient_client, patient):
    existing = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    response = patient_client.post(reverse("measurement_new"), valid_data(left_1="35.0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You already have a measurement at this site" in html
    assert f'name="replace" value="{existing.pk}">Replace that measurement with these readings' in html
    assert 'value="35.0"' in html
    assert GirthMeasurement.objects.count() == 1

    response = patient_client.post(reverse("measurement_new"), valid_data(left_1="35.0", replace=existing.pk))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.left_1 == Decimal("35.0") and GirthMeasurement.objects.count() == 1


def test_replace_only_ever_touches_her_measurement_at_the_date_and_site_typed(
    patient_client, patient, other_patient
):
    hers_elsewhere = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="max")
    not_hers = GirthMeasurementFactory(patient=other_patient, date=YESTERDAY, site="tt10")
    for pk in (hers_elsewhere.pk, not_hers.pk, "x"):
        patient_client.post(reverse("measurement_new"), valid_data(left_1="35.0", replace=pk))
    hers_elsewhere.refresh_from_db()
    not_hers.refresh_from_db()
    assert hers_elsewhere.left_1 != Decimal("35.0") and not_hers.left_1 != Decimal("35.0")
    assert GirthMeasurement.objects.filter(patient=patient).count() == 2  # saved as a new tt10 one


def test_check_says_at_once_whether_the_site_is_measured_on_that_date(patient_client, patient, other_patient):
    existing = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    GirthMeasurementFactory(patient=other_patient, date=YESTERDAY, site="max")
    url = reverse("measurement_check")
    answer = patient_client.get(url, {"date": YESTERDAY.isoformat(), "site": "tt10"})
    assert answer.json()["duplicate"] is True and "already have a measurement" in answer.json()["message"]
    assert "no-store" in answer["Cache-Control"]
    other_site = {"date": YESTERDAY.isoformat(), "site": "max"}
    assert patient_client.get(url, other_site).json()["duplicate"] is False
    editing = {"date": YESTERDAY.isoformat(), "site": "tt10", "exclude": existing.pk}
    assert patient_client.get(url, editing).json()["duplicate"] is False
    for bad in ({"date": "2026-13-40", "site": "tt10"}, {"date": YESTERDAY.isoformat(), "site": "knee"}, {}):
        assert patient_client.get(url, bad).json() == {"duplicate": False, "message": ""}


def test_form_shows_her_last_readings_the_landmark_and_the_legs_side_by_side(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10", left_1=Decimal("35.6"),
                            right_1=Decimal("37.5"))
    html = patient_client.get(reverse("measurement_new")).content.decode()
    assert "10 cm below the knee bump (tt10)</strong>, " in html and "left 35.6 cm, right 37.5 cm" in html
    assert "Feel the bony bump just below your kneecap" in html
    assert html.count('<fieldset class="col-md-6 mb-2">') == 2


def test_same_date_at_another_site_is_fine(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    patient_client.post(reverse("measurement_new"), valid_data(site="max"))
    assert GirthMeasurement.objects.filter(patient=patient).count() == 2


def test_another_patients_measurement_is_no_duplicate(patient_client, patient, other_patient):
    GirthMeasurementFactory(patient=other_patient, date=YESTERDAY, site="tt10")
    patient_client.post(reverse("measurement_new"), valid_data())
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1


def test_readings_that_disagree_ask_for_a_recheck_then_save(patient_client, patient):
    data = valid_data(left_1="34.0", left_2="34.8")
    response = patient_client.post(reverse("measurement_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The readings of your left calf differ by more than 0.5 cm" in html
    assert "right calf differ" not in html
    assert RECHECK_LABEL in html and 'type="checkbox"' in html
    assert 'value="34.8"' in html and "After a rest day" in html
    assert not GirthMeasurement.objects.exists()

    response = patient_client.post(
        reverse("measurement_new"), {**data, "recheck_confirmed": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("measurement_list")
    saved = GirthMeasurement.objects.get(patient=patient)
    assert saved.left_readings == [Decimal("34.0"), Decimal("34.8")]


def test_readings_within_half_a_centimetre_need_no_recheck(patient_client, patient):
    patient_client.post(reverse("measurement_new"), valid_data(right_1="37.6", right_2="38.1"))
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1


def test_recheck_names_both_legs(patient_client):
    data = valid_data(left_1="34.0", left_3="34.9", right_1="37.0", right_2="38.0")
    html = patient_client.post(reverse("measurement_new"), data).content.decode()
    assert "The readings of your left and right calf differ" in html


def test_inches_are_stored_as_cm_and_shown_back_in_inches(patient_client, patient):
    set_unit(patient, "in")
    response = patient_client.get(reverse("measurement_new"))
    assert "Left calf, reading 1 (in)" in response.content.decode()

    response = patient_client.post(
        reverse("measurement_new"), valid_data(left_1="13.5", right_1="14.8"), follow=True
    )
    saved = GirthMeasurement.objects.get(patient=patient)
    assert saved.left_1 == Decimal("34.3")  # metrics.inches_to_cm(13.5)
    assert saved.right_1 == Decimal("37.6")
    assert any(text.startswith("Saved: left 13.5 in, right 14.8 in") for text in message_texts(response))

    html = patient_client.get(reverse("measurement_edit", args=[saved.pk])).content.decode()
    assert 'value="13.5"' in html and 'value="14.8"' in html
    assert 'value="34.3"' not in html


def test_inches_range_message_is_in_inches(patient_client, patient):
    set_unit(patient, "in")
    response = patient_client.post(reverse("measurement_new"), valid_data(left_1="34.2", right_1="14.8"))
    assert "Enter a girth from 5.9 to 31.5 in." in response.content.decode()
    assert not GirthMeasurement.objects.exists()


# --- Red flags --------------------------------------------------------------------------------------


def test_involved_calf_3cm_larger_shows_red_flag_at_once(patient_client, patient):
    response = patient_client.post(
        reverse("measurement_new"), valid_data(left_1="40.6", right_1="37.6"), follow=True
    )
    html = response.content.decode()
    assert SWELLING in html
    alert_start = html.index(SWELLING)
    assert 'role="alert"' in html[html.rindex("<div", 0, alert_start):alert_start]
    levels = [m.level_tag for m in response.context["messages"] if SWELLING in str(m)]
    assert levels == ["error"]


@pytest.mark.parametrize(
    ("unit", "threshold", "lowest", "highest"),
    [("cm", "3.00", "15.00", "80.00"), ("in", "1.18", "5.91", "31.50")],
)
def test_form_gives_its_script_the_swelling_rule_in_her_unit(patient_client, patient, unit, threshold,
                                                              lowest, highest):
    set_unit(patient, unit)
    html = patient_client.get(reverse("measurement_new")).content.decode()
    alert = html[html.index("data-swelling-alert"):]
    alert = alert[: alert.index(">")]
    assert f'data-threshold="{threshold}"' in alert
    assert f'data-min="{lowest}" data-max="{highest}"' in alert  # readings outside count for nothing
    assert f'data-unit="{unit}"' in alert
    assert 'data-affected-side="left"' in alert
    assert 'data-sites="max tt10"' in alert
    assert SWELLING in alert
    assert "tracker/measurements.js" in html


def test_uninvolved_calf_3cm_larger_is_no_red_flag(patient_client):
    response = patient_client.post(
        reverse("measurement_new"), valid_data(left_1="34.2", right_1="37.6"), follow=True
    )
    assert SWELLING not in response.content.decode()


def test_rise_of_2cm_within_7_days_shows_red_flag(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=6))
    response = patient_client.post(
        reverse("measurement_new"), valid_data(left_1="36.2", right_1="37.6"), follow=True
    )
    texts = message_texts(response)
    assert any(SWELLING in t and "left calf grew 2.0 cm in 5 days" in t for t in texts)


def test_rise_after_more_than_7_days_or_at_another_site_is_no_red_flag(patient_client, patient):
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=10))
    GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=3), site="max",
                            left_1=Decimal("30.0"))
    response = patient_client.post(
        reverse("measurement_new"), valid_data(left_1="36.2", right_1="37.6"), follow=True
    )
    assert SWELLING not in response.content.decode()


# --- Edit ------------------------------------------------------------------------------------------


def test_edit_shows_stored_values_and_saves(patient_client, patient):
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY, notes="first")
    url = reverse("measurement_edit", args=[measurement.pk])
    html = patient_client.get(url).content.decode()
    assert 'value="34.2"' in html and "first" in html

    response = patient_client.post(url, valid_data(left_1="35.0", notes="second"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("measurement_list")
    measurement.refresh_from_db()
    assert measurement.left_1 == Decimal("35.0") and measurement.left_cm == Decimal("35.00")
    assert measurement.notes == "second"
    assert any(t.startswith("Saved: left 35.0 cm") for t in message_texts(response))


def test_edit_in_inches_keeps_unchanged_readings_exact(patient_client, patient):
    set_unit(patient, "in")
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY)  # 34.2 / 37.6 cm
    url = reverse("measurement_edit", args=[measurement.pk])
    patient_client.post(url, valid_data(left_1="13.5", right_1="14.8", notes="changed"))
    measurement.refresh_from_db()
    assert measurement.notes == "changed"
    assert measurement.left_1 == Decimal("34.2")  # 13.5 in would be 34.3 cm
    assert measurement.right_1 == Decimal("37.6")


def test_edit_onto_an_existing_date_and_site_is_refused(patient_client, patient):
    other = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="max")
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    url = reverse("measurement_edit", args=[measurement.pk])
    response = patient_client.post(url, valid_data(site="max"))
    assert response.status_code == 200
    assert reverse("measurement_edit", args=[other.pk]) in response.content.decode()
    assert 'name="replace"' not in response.content.decode()
    measurement.refresh_from_db()
    assert measurement.site == "tt10"


def test_edit_keeping_its_own_date_and_site_is_no_duplicate(patient_client, patient):
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    url = reverse("measurement_edit", args=[measurement.pk])
    response = patient_client.post(url, valid_data(left_1="33.0"))
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.left_1 == Decimal("33.0")


def test_edit_invalid_post_keeps_input(patient_client, patient):
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY)
    url = reverse("measurement_edit", args=[measurement.pk])
    response = patient_client.post(url, valid_data(left_1="NaN", notes="typed text"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="NaN"' in html and "typed text" in html
    measurement.refresh_from_db()
    assert measurement.left_1 == Decimal("34.2")



def test_asymmetry_red_flag_applies_at_tt10_and_max_not_tt15(patient_client):
    # domain.md: the Wells asymmetry criterion is measured at tt10 or the maximal girth.
    for site, flagged in (("max", True), ("tt15", False)):
        response = patient_client.post(
            reverse("measurement_new"), valid_data(site=site, left_1="40.6", right_1="37.6"), follow=True
        )
        assert any(SWELLING in text for text in message_texts(response)) is flagged, site


def test_a_duplicate_saved_meanwhile_gives_the_form_error_not_a_500(patient_client, patient, monkeypatch):
    from tracker.selectors import measurements as selectors

    real = selectors.measurement_on
    calls = []

    def blind_once(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(selectors, "measurement_on", blind_once)
    existing = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    response = patient_client.post(reverse("measurement_new"), valid_data(left_1="35.5"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="replace" value="{existing.pk}"' in html
    assert 'value="35.5"' in html
    assert GirthMeasurement.objects.count() == 1
