"""tracker/charts/cache.py: a chart is drawn once per change of her data, whoever asks, and never
served to anyone but those allowed to see her charts; a broken cache only costs drawing."""

import gzip
import logging
import re
from decimal import Decimal

import pytest
from django.core.cache.backends.base import BaseCache
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.factories import GirthMeasurementFactory, PhysioFactory, SymptomLogFactory
from tests.helpers import empty_cache
from tests.views.test_charts import make_history
from tracker import tasks
from tracker.charts import cache as chart_cache
from tracker.charts import data as chart_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """Every chart drawn from her data, as (patient id, chart name): the cache's misses."""
    drawn = []
    real_build = chart_data.build

    def counting_build(name, user, *args, **kwargs):
        drawn.append((user.pk, name))
        return real_build(name, user, *args, **kwargs)

    monkeypatch.setattr(chart_data, "build", counting_build)
    return drawn


def test_the_second_request_draws_nothing_and_gets_the_same_bytes(patient_client, patient, builds):
    make_history(patient, 3)
    first = patient_client.get("/charts/girth.svg?range=all")
    second = patient_client.get("/charts/girth.svg?range=all")
    assert builds == [(patient.pk, "girth")]
    assert second.status_code == 200 and second.content == first.content
    assert second["Cache-Control"] == "private, no-cache" and second["ETag"] == first["ETag"]


def test_sizes_formats_and_options_are_kept_apart(patient_client, patient, builds):
    make_history(patient, 3)
    urls = ["/charts/girth.svg", "/charts/girth.svg?size=phone", "/charts/girth.png",
            "/charts/girth.svg?site=max"]
    bodies = [patient_client.get(url).content for url in urls]
    assert len(builds) == 4 and len(set(bodies)) == 4
    assert [patient_client.get(url).content for url in urls] == bodies
    assert len(builds) == 4


def test_a_new_record_changes_the_key_and_the_chart(patient_client, patient, builds):
    make_history(patient, 3)
    before = patient_client.get("/charts/girth.svg?range=all")
    GirthMeasurementFactory(patient=patient, date=timezone.localdate(), left_1=Decimal("30.1"))
    after = patient_client.get("/charts/girth.svg?range=all")
    assert len(builds) == 2
    assert after.content != before.content and after["ETag"] != before["ETag"]


def test_a_deleted_record_and_a_changed_profile_change_the_chart(patient_client, patient, builds):
    make_history(patient, 3)
    patient_client.get("/charts/pain.svg?range=all")
    patient.symptom_logs.first().delete()
    patient_client.get("/charts/pain.svg?range=all")
    patient.profile.unit = "in"
    patient.profile.save()
    assert "Calf girth (in)" in patient_client.get("/charts/girth.svg?range=all").content.decode()
    assert builds == [(patient.pk, "pain"), (patient.pk, "pain"), (patient.pk, "girth")]


def test_another_patients_chart_is_never_served(client, patient, other_patient, builds):
    make_history(patient, 3)
    make_history(other_patient, 5)
    client.force_login(patient)
    hers = client.get("/charts/girth.svg?range=all").content
    client.force_login(other_patient)
    theirs = client.get("/charts/girth.svg?range=all").content
    assert builds == [(patient.pk, "girth"), (other_patient.pk, "girth")]
    assert theirs != hers


def test_her_physio_is_served_the_chart_she_has_already_drawn(client, patient, builds):
    physio = PhysioFactory()
    patient.profile.physio = physio
    patient.profile.save()
    make_history(patient, 3)
    client.force_login(patient)
    hers = client.get("/charts/symmetry.svg?range=all&site=tt10").content
    client.force_login(physio)
    url = f"/admin/tracker/patientprofile/{patient.profile.pk}/chart/symmetry.svg?range=all&site=tt10"
    review = client.get(url)
    assert review.status_code == 200 and review.content == hers
    assert builds == [(patient.pk, "symmetry")]


def test_a_browser_accepting_gzip_gets_the_kept_bytes_as_they_are(patient_client, patient):
    make_history(patient, 3)
    plain = patient_client.get("/charts/volume.svg?range=all")
    zipped = patient_client.get("/charts/volume.svg?range=all", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) * 3 < len(plain.content)
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    again = patient_client.get(
        "/charts/volume.svg?range=all", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
    )
    assert again.status_code == 304


class BrokenCache(BaseCache):
    """A cache server that is down: every call raises."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache server down")

    add = get = set = delete = has_key = get_many = set_many = delete_many = incr = touch = clear = _down


@pytest.fixture
def broken_cache(settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}  # the rate limit fails open


def test_with_the_cache_down_the_chart_is_drawn_and_the_outage_logged(
    patient_client, patient, broken_cache, builds, caplog
):
    make_history(patient, 3)
    with caplog.at_level(logging.WARNING, logger="tracker.cache"):
        first = patient_client.get("/charts/girth.svg?range=all")
        second = patient_client.get("/charts/girth.svg?range=all", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and first.content.startswith(b"<?xml")
    assert second.status_code == 304  # the stamp, computed, still answers a browser's revalidation
    assert len(builds) == 1
    assert "Chart cache unreachable" in caplog.text and "data stamp" in caplog.text


def test_with_the_cache_down_a_write_still_saves_and_the_warming_draws_anyway(
    patient, broken_cache, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "warm_charts", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        SymptomLogFactory(patient=patient)
    assert queued == [patient.pk]


def dashboard_chart_urls(client) -> list[str]:
    """Every chart URL the dashboard's <picture>s point at (phone <source> and wide <img>)."""
    html = client.get("/").content.decode()
    urls = re.findall(r'(?:src|srcset)="(/charts/[^"]+)"', html)
    return [url.replace("&amp;", "&") for url in urls]


def test_the_warm_job_fills_the_cache_with_what_her_dashboard_shows(patient_client, patient, builds):
    make_history(patient, 3)
    urls = dashboard_chart_urls(patient_client)
    assert len(urls) == 2 * len(chart_data.CHART_NAMES)
    assert all(patient_client.get(url).status_code == 200 for url in urls)  # her phone and laptop
    GirthMeasurementFactory(patient=patient, date=timezone.localdate())
    SymptomLogFactory(patient=patient, date=timezone.localdate(), pain_at_rest=6)
    drawn = tasks.warm_dashboard_charts(patient.pk)
    assert sorted(drawn) == ["adherence:phone", "adherence:wide", "girth:phone", "girth:wide", "pain:phone",
                             "pain:wide", "symmetry:phone", "symmetry:wide"]
    urls = dashboard_chart_urls(patient_client)
    builds.clear()  # the page itself reads each chart's data for its table
    assert all(patient_client.get(url).status_code == 200 for url in urls)
    assert builds == []  # all 12 came from the cache
    assert tasks.warm_dashboard_charts(patient.pk) == []  # nothing left to draw
    assert tasks.warm_charts.call_local(patient.pk) is None  # the job keeps nothing in huey's results


def test_after_a_check_in_the_warm_job_draws_the_pain_and_adherence_charts_only(patient_client, patient):
    """A check-in can tick a warning sign that pauses the programme, which the adherence chart shows."""
    make_history(patient, 3)
    for url in dashboard_chart_urls(patient_client):
        patient_client.get(url)
    SymptomLogFactory(patient=patient, date=timezone.localdate(), pain_at_rest=6)
    assert sorted(tasks.warm_dashboard_charts(patient.pk)) == [
        "adherence:phone", "adherence:wide", "pain:phone", "pain:wide"]


def test_after_she_looked_at_some_charts_the_warm_job_draws_only_those(patient_client, patient):
    make_history(patient, 3)
    patient_client.get("/charts/girth.svg")  # her laptop
    patient_client.get("/charts/pain.svg?size=phone")  # her phone
    patient_client.get("/charts/volume.png")  # a download: not a dashboard picture
    patient_client.get("/charts/adherence.svg?range=all")  # another range: still this chart
    GirthMeasurementFactory(patient=patient, date=timezone.localdate())
    SymptomLogFactory(patient=patient, date=timezone.localdate(), pain_at_rest=6)
    assert sorted(tasks.warm_dashboard_charts(patient.pk)) == ["adherence:wide", "girth:wide", "pain:phone"]
    assert tasks.warm_dashboard_charts(patient.pk) == []


def test_a_chart_her_physio_opens_is_warmed_too(client, patient):
    physio = PhysioFactory()
    patient.profile.physio = physio
    patient.profile.save()
    make_history(patient, 3)
    client.force_login(physio)
    url = f"/admin/tracker/patientprofile/{patient.profile.pk}/chart/symmetry.svg"
    assert client.get(url).status_code == 200
    GirthMeasurementFactory(patient=patient, date=timezone.localdate())
    assert tasks.warm_dashboard_charts(patient.pk) == ["symmetry:wide"]


def test_when_nobody_looked_at_her_charts_lately_the_warm_job_draws_none(patient_client, patient, builds):
    make_history(patient, 3)
    patient_client.get("/charts/girth.svg")
    empty_cache(chart_cache.cache)  # two weeks later, or Redis restarted: the notes are gone
    GirthMeasurementFactory(patient=patient, date=timezone.localdate())
    builds.clear()
    assert tasks.warm_dashboard_charts(patient.pk) == [] and builds == []
    assert patient_client.get("/charts/girth.svg").status_code == 200  # her next look draws it
    assert builds == [(patient.pk, "girth")]


def test_a_look_is_noted_once_and_kept_two_weeks(patient_client, patient, monkeypatch):
    notes = []
    real_set = chart_cache.cache.set

    def noting_set(key, value, timeout, *args, **kwargs):
        if key.startswith("chart-seen:"):
            notes.append((key, timeout))
        return real_set(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(chart_cache.cache, "set", noting_set)
    make_history(patient, 3)
    patient_client.get("/charts/heel-rise.svg")
    patient_client.get("/charts/heel-rise.svg")  # from the cache, already noted: nothing written
    assert notes == [(chart_cache.seen_key(patient.pk, "heel-rise", "wide"), 14 * 24 * 3600)]


@pytest.fixture
def queue():
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()


@pytest.mark.queue
def test_a_burst_of_writes_queues_one_warm_job(patient, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_history(patient, 2)  # 13 records in one transaction
    with django_capture_on_commit_callbacks(execute=True):
        SymptomLogFactory(patient=patient, date=timezone.localdate())  # while the job still waits
    assert warm_jobs(queue) == [("warm_charts", (patient.pk,))]
    tasks.warm_charts.call_local(patient.pk)  # the job runs: the next write queues another
    with django_capture_on_commit_callbacks(execute=True):
        GirthMeasurementFactory(patient=patient)
    assert len(warm_jobs(queue)) == 2


@pytest.mark.queue
def test_a_warm_job_that_waited_too_long_is_dropped_unrun(patient, queue, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    """Behind a backlog, stale warming must not hold up the alerts and e-mails queued after it."""
    import datetime as dt

    drawn = []
    monkeypatch.setattr(tasks, "warm_dashboard_charts", drawn.append)
    with django_capture_on_commit_callbacks(execute=True):
        GirthMeasurementFactory(patient=patient)
    [job] = [job for job in queue.pending() if job.name == "warm_charts"]
    assert job.expires == tasks.WARM_EXPIRES_SECONDS

    late = job.expires_resolved + dt.timedelta(seconds=1)
    queue.execute(job, timestamp=late)
    assert drawn == []  # dropped
    queue.execute(job, timestamp=job.expires_resolved - dt.timedelta(seconds=1))
    assert drawn == [patient.pk]  # in time: it runs


def warm_jobs(queue) -> list:
    return [(job.name, job.args) for job in queue.pending() if job.name == "warm_charts"]


def test_a_queue_that_is_down_never_fails_the_write(
    patient, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def refuse(patient_id):
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "warm_charts", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        GirthMeasurementFactory(patient=patient)
    assert "Could not queue the chart warming" in caplog.text


def test_keys_hold_the_patient_the_stamp_the_chart_and_the_code_version():
    options = chart_data.ChartOptions(range_key="all", site="max")
    key = chart_cache.chart_key(7, "abc", "girth", "svg", "phone", options)
    assert key == f"chart:{chart_cache.CODE_VERSION}:7:abc:girth.svg:phone:range=all&site=max"
    assert chart_cache.chart_key(8, "abc", "girth", "svg", "phone", options) != key


def test_a_csv_import_which_sends_no_signal_still_changes_the_chart(patient_client, patient, builds):
    from tracker.services import imports

    make_history(patient, 3)
    before = patient_client.get("/charts/girth.svg?range=all")
    row = {"date": timezone.localdate().isoformat(), "site": "tt10", "measured_by": "self", "notes": "",
           "left": ["30.0"], "right": ["37.0"]}
    assert imports.import_rows(patient, [row]) == (1, 0)
    after = patient_client.get("/charts/girth.svg?range=all")
    assert after["ETag"] != before["ETag"] and len(builds) == 2
