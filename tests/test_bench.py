"""The benchmark's data builder still matches the models, and its patient's dashboard renders."""

import pytest

from bench.charts import add_1900_session, build_patient
from tracker.models import ExerciseEntry, ExerciseSession, GirthMeasurement, Prescription, SymptomLog, User


@pytest.mark.django_db
def test_build_patient_creates_a_week_of_data_and_the_dashboard_renders(client):
    counts = build_patient("bench-7d", 7, seed=1)

    patient = User.objects.get(username="bench-7d")
    sessions = ExerciseSession.objects.filter(patient=patient)
    assert sessions.count() == counts["sessions"] >= 5
    assert ExerciseEntry.objects.filter(session__patient=patient).count() == counts["entries"]
    assert 4 * counts["sessions"] <= counts["entries"] <= 5 * counts["sessions"]
    assert GirthMeasurement.objects.filter(patient=patient).count() == counts["measurements"] >= 1
    assert SymptomLog.objects.filter(patient=patient).count() == counts["check-ins"] >= 1
    assert Prescription.objects.filter(patient=patient).count() == 4

    client.force_login(patient)
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert b"Weekly training volume" in response.content


@pytest.mark.django_db
def test_the_review_benchmark_runs_on_the_demo_data(client):
    """bench/review.py's pieces still fit the app (no timing is asserted here: that is the bench's job)."""
    from io import StringIO

    from django.core.management import call_command

    from bench.review import FLOOR, add_caseload, measure
    from tracker.models import PatientProfile

    call_command("seed_demo", force=True, stdout=StringIO())
    physio = User.objects.get(username="physio")
    add_caseload(physio, 2)
    assert PatientProfile.objects.filter(physio=physio).count() == 5
    client.force_login(physio)
    review = f"/admin/tracker/patientprofile/{PatientProfile.objects.get(user__username='demo').pk}/change/"
    results = measure(client, [("review", review), ("home", "/admin/")], repeats=1)
    assert set(results) == {FLOOR[0], "review", "home"}
    assert all(result["queries"] > 0 and result["ratio"] > 0 for result in results.values())


@pytest.mark.django_db
def test_the_1900_case_adds_one_old_session_and_its_volume_chart_stays_small(client):
    build_patient("bench-1900", 7, seed=1)
    add_1900_session("bench-1900")

    patient = User.objects.get(username="bench-1900")
    assert ExerciseSession.objects.filter(patient=patient, performed_at__year=1900).count() == 1
    client.force_login(patient)
    page = client.get("/?range=all", HTTP_HOST="localhost").content.decode()
    volume = page[page.index('id="chart-volume"'):page.index('id="chart-pain"')]
    assert '<th scope="col">Year</th>' in volume
    assert volume.count("<tr>") - 1 <= 130  # the header row, then one row per bar


@pytest.mark.django_db
@pytest.mark.urls("bench.floors")
def test_the_pages_benchmark_measures_every_page_against_its_floor():
    """bench/pages.py's pieces on a tiny clinic (no timing is asserted: that is the bench's job)."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from bench.pages import PATIENTS, checks, measure, pages, report

    call_command("generate_clinic", patients=40, physios=2, busy=30, stdout=StringIO())
    for username, _days in PATIENTS.values():
        build_patient(username, 7, seed=1)
    page_list = pages(10)
    clients = {}
    for username in {page.user for page in page_list}:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    measure(page_list, clients, repeats=1)
    found = checks(page_list)
    lines = []
    report(page_list, found, lines.append)

    assert all(page.queries >= 2 and len(page.cpu_ms) == 1 for page in page_list)
    assert {name.split(":")[0] for name, _ok, _value in found} >= {
        "dashboard /, 3 years", "triage home, 150 patients", "caseload, 150 patients"}
    assert "triage home, 10 patients" in "\n".join(lines)


@pytest.mark.django_db
def test_the_chart_cache_benchmark_runs_its_pieces(client, settings):
    """bench/chart_cache.py: the floors and the cold and cached requests run (timings are not checked)."""
    from bench.chart_cache import FLOOR_VIEW, bare_figure_svg, measure, print_table, ratios

    settings.ROOT_URLCONF = "bench.floors"
    assert bare_figure_svg(5).startswith(b"<?xml")
    build_patient("bench-cache", 14, seed=2)
    patient = User.objects.get(username="bench-cache")
    client.force_login(patient)
    results = measure(client, patient, repeats=1, charts=("girth",))
    assert set(results) == {FLOOR_VIEW, "girth: floor (b)", "girth: cold", "girth: cached"}
    [row] = ratios(results, charts=("girth",))
    assert row["points"] >= 2 and row["cold_ratio"] > 0 and row["cached_ratio"] > 0
    assert len(print_table([row])) == 2


@pytest.mark.django_db
def test_the_chart_cache_benchmark_splits_a_cold_chart_into_read_and_draw(capsys):
    from bench.chart_cache import parts

    build_patient("bench-parts", 14, seed=2)
    parts(User.objects.get(username="bench-parts"), repeats=1, charts=("girth", "pain"))
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("| girth", "| pain"))]
    assert len(rows) == 2
    assert all(float(cell.strip()) > 0 for row in rows for cell in row.strip("|").split("|")[2:5])


@pytest.mark.django_db
def test_the_chart_cache_benchmark_prices_each_charts_shape(capsys):
    """--floors: bare figures with the chart's panels, with and without the layout engine."""
    from bench.chart_cache import bare_figure_svg, floors

    assert bare_figure_svg(5, panels=2, layout="constrained").count(b'<g id="axes_') == 2
    build_patient("bench-floors", 14, seed=2)
    floors(User.objects.get(username="bench-floors"), repeats=1, charts=("girth", "symmetry"))
    rows = [line.strip("|").split("|") for line in capsys.readouterr().out.splitlines()
            if line.startswith(("| girth", "| symmetry"))]
    assert [(row[0].strip(), int(row[1])) for row in rows] == [("girth", 1), ("symmetry", 2)]
    assert all(float(cell.split("(")[1].rstrip("x) ")) > 0 for row in rows for cell in row[3:6])
