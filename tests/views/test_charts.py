"""/charts/<name>.<fmt>: login, own data only, range validation, ETag/304, constant queries."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)
from tracker.charts.data import CHART_NAMES


def make_history(patient, weeks: int) -> None:
    today = timezone.localdate()
    for week in range(weeks):
        day = today - datetime.timedelta(weeks=week, days=1)
        GirthMeasurementFactory(patient=patient, date=day, left_1=Decimal("34.0") + Decimal(week) / 10)
        HeelRiseTestFactory(patient=patient, date=day, reps_left=10 + week)
        session = ExerciseSessionFactory(
            patient=patient, performed_at=timezone.now() - datetime.timedelta(weeks=week, days=1)
        )
        ExerciseEntryFactory(session=session)
        ExerciseEntryFactory(session=session, side="both", reps=15)
        SymptomLogFactory(patient=patient, date=day)
    PrescriptionFactory(patient=patient, start_date=today - datetime.timedelta(weeks=weeks))


@pytest.mark.parametrize("name", CHART_NAMES)
def test_it_serves_svg_of_own_data(patient_client, patient, name):
    make_history(patient, 4)
    response = patient_client.get(f"/charts/{name}.svg?range=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert ET.fromstring(response.content).tag.endswith("svg")
    assert "private" in response["Cache-Control"]
    assert response["ETag"]


def test_it_serves_png(patient_client, patient):
    make_history(patient, 3)
    response = patient_client.get("/charts/girth.png")
    assert response.status_code == 200
    assert response.content.startswith(b"\x89PNG")


def test_it_requires_login(client):
    response = client.get("/charts/girth.svg")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_only_the_logged_in_patients_data(patient_client, patient, other_patient):
    """There is no patient id in the URL: another patient's values never reach the chart."""
    GirthMeasurementFactory(patient=other_patient, left_1=Decimal("61.1"), right_1=Decimal("62.2"))
    GirthMeasurementFactory(patient=other_patient, left_1=Decimal("61.3"), right_1=Decimal("62.4"))
    svg = patient_client.get("/charts/girth.svg?range=all").content.decode()
    assert "Not enough data" in svg
    assert "61.3" not in svg and "62.4" not in svg


@pytest.mark.parametrize("query", ["range=bogus", "range=", "site=knee", "range=%00", "range=all&site=max"])
def test_bad_options_fall_back_instead_of_failing(patient_client, patient, query):
    make_history(patient, 2)
    assert patient_client.get(f"/charts/symmetry.svg?{query}").status_code == 200


@pytest.mark.parametrize("path", ["/charts/unknown.svg", "/charts/girth.pdf", "/charts/girth.svg.svg"])
def test_unknown_chart_or_format_is_404(patient_client, path):
    assert patient_client.get(path).status_code == 404


def test_it_rejects_post(patient_client):
    assert patient_client.post("/charts/girth.svg").status_code == 405


def test_repeat_request_with_etag_is_304_without_rendering(patient_client, patient, monkeypatch):
    make_history(patient, 3)
    first = patient_client.get("/charts/girth.svg?range=all")

    def fail(*args, **kwargs):
        raise AssertionError("rendered although the browser's copy is current")

    monkeypatch.setattr("tracker.charts.figures.girth_chart", fail)
    second = patient_client.get("/charts/girth.svg?range=all", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""


def test_etag_changes_with_new_data_and_with_options(patient_client, patient):
    make_history(patient, 3)
    etag = patient_client.get("/charts/girth.svg?range=all")["ETag"]
    assert patient_client.get("/charts/girth.svg?range=4w")["ETag"] != etag
    GirthMeasurementFactory(patient=patient, date=timezone.localdate())
    changed = patient_client.get("/charts/girth.svg?range=all", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_etag_changes_when_a_record_is_deleted(patient_client, patient):
    make_history(patient, 3)
    etag = patient_client.get("/charts/heel-rise.svg?range=all")["ETag"]
    patient.heel_rise_tests.first().delete()
    assert patient_client.get("/charts/heel-rise.svg?range=all")["ETag"] != etag


def test_etag_changes_when_the_unit_changes(patient_client, patient):
    make_history(patient, 3)
    etag = patient_client.get("/charts/girth.svg")["ETag"]
    patient.profile.unit = "in"
    patient.profile.save()
    response = patient_client.get("/charts/girth.svg")
    assert response["ETag"] != etag
    assert "Calf girth (in)" in response.content.decode()


@pytest.mark.parametrize("name", CHART_NAMES)
def test_query_count_does_not_grow_with_data(patient_client, patient, other_patient, client,
                                             django_assert_num_queries, name, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_history(patient, 2)
    # The rate limit's own queries (the database cache's) are left out: tests/test_rate_limits.py.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    with CaptureQueriesContext(connection) as small:
        patient_client.get(f"/charts/{name}.svg?range=all")
    make_history(other_patient, 30)
    client.force_login(other_patient)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/charts/{name}.svg?range=all")
    # So are the chart cache's (the data stamp and the chart kept, SAVEPOINTs around each write):
    # tests/charts/test_cache.py.
    def reads(captured):
        return [q["sql"] for q in captured.captured_queries if "rehab_cache" not in q["sql"]
                and "SAVEPOINT" not in q["sql"]]
    assert len(reads(large)) == len(reads(small))
    assert len(reads(large)) <= 8, [sql[:80] for sql in reads(large)]


def test_the_phone_size_is_a_narrower_drawing_with_its_own_etag(patient_client, patient):
    make_history(patient, 3)
    wide = patient_client.get("/charts/girth.svg?range=all")
    phone = patient_client.get("/charts/girth.svg?range=all&size=phone")
    assert wide["ETag"] != phone["ETag"]
    width = {r: float(ET.fromstring(r.content).get("width").removesuffix("pt")) for r in (wide, phone)}
    assert width[phone] < width[wide]
    again = patient_client.get("/charts/girth.svg?range=all&size=phone", HTTP_IF_NONE_MATCH=phone["ETag"])
    assert again.status_code == 304
    assert patient_client.get("/charts/girth.svg?range=all&size=huge")["ETag"] == wide["ETag"]


def test_the_svg_has_no_inline_css_for_the_sites_policy(patient_client, patient):
    make_history(patient, 3)
    response = patient_client.get("/charts/volume.svg?range=all")
    assert b"style=" not in response.content and b"<style" not in response.content
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_the_dashboard_offers_the_phone_drawing_to_narrow_screens(patient_client, patient):
    make_history(patient, 3)
    html = patient_client.get("/").content.decode()
    assert html.count('<source media="(max-width: 575.98px)" srcset="/charts/') == len(CHART_NAMES)
    assert "&amp;size=phone" in html


@pytest.mark.parametrize("name", ["girth", "symmetry", "heel-rise", "pain"])
def test_the_dated_charts_run_their_axis_to_her_today(patient_client, patient, name, monkeypatch):
    """A gap since her last record shows on the chart (the triage list names it; the chart agreed)."""
    from tracker.charts import style

    make_history(patient, 4)
    asked = []
    date_axis = style.date_axis
    monkeypatch.setattr(style, "date_axis", lambda *args, **kwargs: asked.append(kwargs.get("until"))
                        or date_axis(*args, **kwargs))
    assert patient_client.get(f"/charts/{name}.svg?range=12w").status_code == 200
    assert asked == [timezone.localdate()]
