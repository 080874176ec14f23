"""/api/v1/measurements/: girth in cm, with the computed symmetry and red flags."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import error_messages, token_client
from tests.factories import GirthMeasurementFactory
from tracker.models import GirthMeasurement

URL = "/api/v1/measurements/"
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
SWELLING = "Sudden calf swelling can be a sign of a blood clot. Seek medical review today."



@pytest.fixture
def api(patient):
    return token_client(patient)


def payload(**overrides) -> dict:
    data = {
        "date": YESTERDAY.isoformat(),
        "site": "tt10",
        "left_1": 34.2,
        "left_2": 34.4,
        "right_1": 37.6,
        "measured_by": "self",
        "notes": "After a rest day",
    }
    data.update(overrides)
    return data


# --- Create -----------------------------------------------------------------------------------------


def test_create_stores_cm_and_returns_the_computed_fields(api, patient):
    response = api.post(URL, payload(), format="json")
    assert response.status_code == 201
    body = response.json()
    saved = GirthMeasurement.objects.get(pk=body["id"], patient=patient)
    assert saved.left_1 == Decimal("34.2") and saved.left_2 == Decimal("34.4")
    assert body["left_cm"] == 34.3 and body["right_cm"] == 37.6
    # Left is affected: LSI = 34.3 / 37.6 x 100.
    assert body["symmetry"] == {
        "lsi": 91.2,
        "difference": -3.3,
        "involved_side": "left",
        "smaller_side": "left",
    }
    assert body["asymmetry"] == "marked"
    assert body["asymmetry_label"] == "Marked deficit (> 2 cm)"
    assert body["red_flags"] == []
    assert body["remeasure"] == []


def test_a_swollen_affected_calf_raises_the_red_flag(api):
    response = api.post(URL, payload(left_1=41.0, left_2=None, right_1=37.6), format="json")
    assert response.status_code == 201
    flags = response.json()["red_flags"]
    assert [flag["code"] for flag in flags] == ["swelling_asymmetry"]
    assert flags[0]["level"] == "urgent"
    assert flags[0]["message"].startswith(SWELLING)


def test_a_fast_rise_since_the_previous_measurement_raises_the_red_flag(api, patient):
    GirthMeasurementFactory(
        patient=patient,
        date=TODAY - datetime.timedelta(days=4),
        left_1=Decimal("34.0"),
        right_1=Decimal("37.0"),
    )
    response = api.post(URL, payload(left_1=36.5, left_2=None, right_1=37.2), format="json")
    assert [flag["code"] for flag in response.json()["red_flags"]] == ["swelling_rise"]


def test_readings_that_disagree_are_saved_and_flagged_for_remeasuring(api):
    response = api.post(URL, payload(left_1=34.0, left_2=34.8), format="json")
    assert response.status_code == 201
    assert response.json()["remeasure"] == ["left"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("left_1", 14.9, "Enter a girth from 15.0 to 80.0 cm."),
        ("right_1", 80.1, "Enter a girth from 15.0 to 80.0 cm."),
        ("left_1", "NaN", "A valid number is required."),
        ("left_1", "Infinity", "A valid number is required."),
        ("left_1", "abc", "A valid number is required."),
        ("left_1", 34.25, "Enter a girth from 15.0 to 80.0 cm, with at most one decimal."),
        ("left_1", 35.123, "Enter a girth from 15.0 to 80.0 cm, with at most one decimal."),
        ("site", "calf", "“calf” is not one of max, tt10, tt15."),
        ("measured_by", "nurse", "“nurse” is not one of self, physio."),
        ("date", (TODAY + datetime.timedelta(days=1)).isoformat(), "This date is in the future."),
        ("date", "1899-12-31", "Enter a date from 1900 onwards."),
        ("date", "2025-02-30", "Date has wrong format."),
    ],
)
def test_invalid_values_are_400_with_the_models_messages(api, field, value, message):
    response = api.post(URL, payload(**{field: value}), format="json")
    assert response.status_code == 400
    assert any(text.startswith(message) for text in error_messages(response, field))
    assert not GirthMeasurement.objects.exists()


def test_required_readings(api):
    data = payload()
    del data["right_1"]
    response = api.post(URL, data, format="json")
    assert response.status_code == 400
    assert error_messages(response, "right_1") == ["This field is required."]


def test_the_same_site_and_date_twice_is_400_on_the_date(api, patient):
    existing = GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    response = api.post(URL, payload(), format="json")
    assert response.status_code == 400
    assert error_messages(response, "date") == [
        f"You already have a measurement at this site on {YESTERDAY.isoformat()} (id {existing.pk}). "
        "Update that one instead, or choose another date or site."
    ]


def test_another_patients_measurement_on_that_date_is_no_conflict(api, other_patient):
    GirthMeasurementFactory(patient=other_patient, date=YESTERDAY, site="tt10")
    assert api.post(URL, payload(), format="json").status_code == 201


def test_malformed_json_is_400(api):
    response = api.generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_patient_field_in_the_body_is_ignored(api, patient, other_patient):
    response = api.post(URL, payload(patient=other_patient.pk), format="json")
    assert response.status_code == 201
    assert GirthMeasurement.objects.get().patient == patient


# --- Read, filter, order, paginate ------------------------------------------------------------------


def test_list_is_newest_first_with_computed_fields(api, patient):
    older = GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=10))
    newer = GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=3))
    body = api.get(URL).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["symmetry"]["lsi"] == 91.0  # 34.2 / 37.6


def test_ordering(api, patient):
    older = GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=10))
    newer = GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=3))
    assert [row["id"] for row in api.get(URL, {"ordering": "date"}).json()["results"]] == [older.pk, newer.pk]
    assert [row["id"] for row in api.get(URL, {"ordering": "-date"}).json()["results"]] == [
        newer.pk,
        older.pk,
    ]


def test_date_range_filter(api, patient):
    days = [TODAY - datetime.timedelta(days=n) for n in (20, 10, 5)]
    rows = [GirthMeasurementFactory(patient=patient, date=day) for day in days]
    response = api.get(URL, {"date_from": days[1].isoformat(), "date_to": days[2].isoformat()})
    assert sorted(row["id"] for row in response.json()["results"]) == sorted(r.pk for r in rows[1:])


@pytest.mark.parametrize(
    "query, field",
    [
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_to": ""}, "date_to"),
        ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "non_field_errors"),
    ],
)
def test_a_bad_date_range_is_400(api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_pagination_is_25_a_page(api, patient):
    for n in range(27):
        GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=n + 1))
    first = api.get(URL).json()
    assert first["count"] == 27 and len(first["results"]) == 25 and first["next"]
    second = api.get(URL, {"page": 2}).json()
    assert len(second["results"]) == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(api.get(URL, {"page_size": 5}).json()["results"]) == 5


@pytest.mark.parametrize("page_size", ["0", "101", "ten"])
def test_a_bad_page_size_is_400(api, page_size):
    assert api.get(URL, {"page_size": page_size}).status_code == 400


def test_a_page_past_the_end_is_404(api):
    assert api.get(URL, {"page": 5}).status_code == 404


def test_the_list_uses_a_fixed_number_of_queries(api, patient):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    for n in range(3):
        GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=n + 1))
    api.get(URL)  # the token's first use writes last_used_at
    few = count_queries()
    for n in range(3, 30):
        GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=n + 1))
    assert count_queries() == few


def test_retrieve_own(api, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    response = api.get(f"{URL}{measurement.pk}/")
    assert response.status_code == 200
    assert response.json()["left_cm"] == 34.2


def test_another_patients_measurement_is_404(api, other_patient):
    theirs = GirthMeasurementFactory(patient=other_patient)
    url = f"{URL}{theirs.pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"notes": "mine now"}, format="json").status_code == 404
    assert api.put(url, payload(), format="json").status_code == 404
    assert api.delete(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.notes == ""


# --- Update and delete ------------------------------------------------------------------------------


def test_put_replaces_and_recomputes(api, patient):
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY)
    response = api.put(f"{URL}{measurement.pk}/", payload(left_1=36.0, left_2=None), format="json")
    assert response.status_code == 200
    assert response.json()["left_cm"] == 36.0
    measurement.refresh_from_db()
    assert measurement.left_cm == Decimal("36.00")


def test_patch_changes_one_field_and_keeps_its_own_date(api, patient):
    measurement = GirthMeasurementFactory(patient=patient, date=YESTERDAY)
    response = api.patch(f"{URL}{measurement.pk}/", {"notes": "Evening"}, format="json")
    assert response.status_code == 200  # its own date+site is no duplicate
    measurement.refresh_from_db()
    assert measurement.notes == "Evening"


def test_patch_validates_like_create(api, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    response = api.patch(f"{URL}{measurement.pk}/", {"right_1": 99}, format="json")
    assert response.status_code == 400
    assert "right_1" in response.json()


def test_patch_to_an_existing_date_and_site_is_400(api, patient):
    GirthMeasurementFactory(patient=patient, date=YESTERDAY, site="tt10")
    other = GirthMeasurementFactory(patient=patient, date=TODAY - datetime.timedelta(days=5), site="tt10")
    response = api.patch(f"{URL}{other.pk}/", {"date": YESTERDAY.isoformat()}, format="json")
    assert response.status_code == 400
    assert "date" in response.json()


def test_delete(api, patient):
    measurement = GirthMeasurementFactory(patient=patient)
    assert api.delete(f"{URL}{measurement.pk}/").status_code == 204
    assert not GirthMeasurement.objects.filter(pk=measurement.pk).exists()


@pytest.mark.django_db
def test_anonymous_writes_are_401(patient):
    measurement = GirthMeasurementFactory(patient=patient)
    client = APIClient()
    assert client.post(URL, payload(), format="json").status_code == 401
    assert client.delete(f"{URL}{measurement.pk}/").status_code == 401
    assert GirthMeasurement.objects.filter(pk=measurement.pk).exists()
