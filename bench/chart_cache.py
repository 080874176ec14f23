"""Charts from the cache and cold charts, as ratios to floors measured in the same run (`make bench`).

For a patient with 3 years of daily data (bench.charts.build_patient), through Django's test client
with the test settings, CPU time of this process (median of the timed requests):

- cached: `/charts/<name>.svg?range=all`, the chart already in Django's cache (as the second viewer,
  device or page load finds it), against floor (a): a bare `@login_required` view through the
  project's middleware (bench/floors.py). Target: at most CACHED_MAX_RATIO x.
- cold: the same request with an empty cache (everything is read and drawn), against floor (b): a
  bare matplotlib Figure with two lines of as many points as the chart's table has rows, saved as
  SVG. Target: at most COLD_MAX_RATIO x.

    .venv/bin/python bench/chart_cache.py            # 15 timed requests each
    .venv/bin/python bench/chart_cache.py --quick    # 3 each, a smoke run
    .venv/bin/python bench/chart_cache.py --strict   # exit 1 when a target is missed
    .venv/bin/python bench/chart_cache.py --profile pain   # cProfile of one cold pain chart
    .venv/bin/python bench/chart_cache.py --parts    # a cold chart's read and draw apart
    .venv/bin/python bench/chart_cache.py --floors   # what each chart's shape costs, bare

Django is configured only in main(), so tests can import the pieces under pytest-django.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.charts import CHARTS, build_patient, configure  # noqa: E402

CACHED_MAX_RATIO = 1.5
COLD_MAX_RATIO = 1.5
DAYS = 3 * 365
FLOOR_VIEW = "floor (a): bare @login_required view"
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what browsers send: charts come gzipped from the cache


def bare_figure_svg(points: int, panels: int = 1, layout: str | None = None) -> bytes:
    """Floor (b): a matplotlib Figure with two lines of `points` points, saved as SVG, nothing else.

    `panels` > 1 stacks that many such plots on one x axis, and `layout="constrained"` adds the layout
    engine the charts use: what a chart's shape costs before anything is drawn in it (`--floors`).
    """
    from matplotlib.figure import Figure

    from tracker.charts.style import FIGSIZES

    start = datetime.date(2024, 1, 1)
    dates = [start + datetime.timedelta(days=7 * i) for i in range(points)]
    fig = Figure(figsize=FIGSIZES["wide"][panels], layout=layout)
    for ax in fig.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]:
        ax.plot(dates, [30 + (i % 7) / 10 for i in range(points)])
        ax.plot(dates, [33 + (i % 5) / 10 for i in range(points)])
    buffer = BytesIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def chart_points(patient, name: str) -> int:
    """How many rows the chart's table has for `?range=all`: the points its floor draws."""
    from django.utils import timezone

    from tracker.charts import data as chart_data

    options = chart_data.ChartOptions(range_key="all")
    return len(chart_data.build(name, patient, patient.profile, options, timezone.localdate()).rows)


def timed(run) -> float:
    """CPU milliseconds of this process for one call of `run`."""
    began = time.process_time()
    run()
    return (time.process_time() - began) * 1000


def measure(client, patient, repeats: int, charts=CHARTS) -> dict[str, dict]:
    """Two phases, each one warm-up then `repeats` rounds taking its measurements in turn (so a burst
    of load on the shared machine slows all alike): the light requests (floor (a) and every cached
    chart), then the drawings (floor (b) and every cold chart). Apart, because a request measured
    right after a drawing pays for collecting the drawing's garbage. Returns name -> {"cpu": [...],
    "points": n}."""
    from django.core.cache import cache

    from bench.floors import BARE_VIEW as FLOOR_URL

    def get(url: str):
        def run():
            response = client.get(url, HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        return run

    light = {FLOOR_VIEW: (None, get(FLOOR_URL))}
    drawings = {}
    for name in charts:
        points = chart_points(patient, name)
        url = f"/charts/{name}.svg?range=all"
        light[f"{name}: cached"] = (None, get(url))  # the warm-up draws it; then it is in the cache
        drawings[f"{name}: floor (b)"] = (None, lambda points=points: bare_figure_svg(points))
        drawings[f"{name}: cold"] = (cache.clear, get(url))  # an empty cache: read and draw everything
    results = {name: {"cpu": []} for name in (*light, *drawings)}
    for name in charts:
        results[f"{name}: floor (b)"]["points"] = chart_points(patient, name)
    for steps in (light, drawings):
        for prepare, run in steps.values():
            (prepare or (lambda: None))()
            run()
        for _ in range(repeats):
            for name, (prepare, run) in steps.items():
                if prepare is not None:
                    prepare()
                results[name]["cpu"].append(timed(run))
    for result in results.values():
        result["median"] = statistics.median(result["cpu"])
    return results


def ratios(results: dict[str, dict], charts=CHARTS) -> list[dict]:
    """Per chart: its cold and cached medians and their ratios to their floors."""
    floor_view = results[FLOOR_VIEW]["median"]
    rows = []
    for name in charts:
        floor_figure = results[f"{name}: floor (b)"]["median"]
        cold, cached = results[f"{name}: cold"]["median"], results[f"{name}: cached"]["median"]
        rows.append({
            "chart": name,
            "points": results[f"{name}: floor (b)"]["points"],
            "floor_figure": floor_figure,
            "cold": cold,
            "cold_ratio": cold / floor_figure,
            "floor_view": floor_view,
            "cached": cached,
            "cached_ratio": cached / floor_view,
        })
    return rows


def print_table(rows: list[dict]) -> list[tuple[str, bool, str]]:
    print(f"\nCPU medians, ms; floor (a): bare @login_required view {rows[0]['floor_view']:.1f} ms\n")
    print("| chart (?range=all, 3 years) | points | floor (b) bare figure | cold | cold / (b) "
          "| cached | cached / (a) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['chart']} | {row['points']} | {row['floor_figure']:.1f} | {row['cold']:.1f} "
              f"| {row['cold_ratio']:.2f}x | {row['cached']:.1f} | {row['cached_ratio']:.2f}x |")
    checks = []
    for row in rows:
        checks.append((f"{row['chart']}: cold <= {COLD_MAX_RATIO:g} x floor (b)",
                       row["cold_ratio"] <= COLD_MAX_RATIO, f"{row['cold_ratio']:.2f} x"))
        checks.append((f"{row['chart']}: cached <= {CACHED_MAX_RATIO:g} x floor (a)",
                       row["cached_ratio"] <= CACHED_MAX_RATIO, f"{row['cached_ratio']:.2f} x"))
    print("\nTargets:")
    for name, ok, value in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value}")
    return checks


def profile(client, patient, name: str) -> None:
    import cProfile
    import pstats

    from django.core.cache import cache

    url = f"/charts/{name}.svg?range=all"
    client.get(url, HTTP_HOST="localhost")
    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url, HTTP_HOST="localhost")
    profiler.disable()
    print(f"\nProfile of a cold GET {url} (3 years): by cumulative time, then by own time")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


def parts(patient, repeats: int, charts=CHARTS) -> None:
    """Where a cold chart's time goes: reading her records into the chart's series and table
    (`charts.data.build`), then drawing and saving the SVG (`render`), beside floor (b)."""
    from django.utils import timezone

    from tracker.charts import data as chart_data

    options, today = chart_data.ChartOptions(range_key="all"), timezone.localdate()
    print("\nCPU medians, ms, of a cold chart's two parts (?range=all, 3 years)\n")
    print("| chart | points | floor (b) | read: records to series | draw: figure to SVG | read / (b) |")
    print("|---|---:|---:|---:|---:|---:|")
    def median_cpu(run) -> float:
        return statistics.median(timed(run) for _ in range(repeats))

    for name in charts:
        built = chart_data.build(name, patient, patient.profile, options, today)
        floor = median_cpu(partial(bare_figure_svg, len(built.rows)))
        read = median_cpu(partial(chart_data.build, name, patient, patient.profile, options, today))
        draw = median_cpu(partial(built.render, "svg", size="wide"))
        print(f"| {name} | {len(built.rows)} | {floor:.1f} | {read:.1f} | {draw:.1f} | {read / floor:.2f}x |")


def floors(patient, repeats: int, charts=CHARTS) -> None:
    """What a chart's shape costs before anything is drawn in it: bare figures with the chart's number
    of panels, without and with the constrained layout, beside the chart's own drawing, all as ratios to
    floor (b) (one panel, no layout engine)."""
    from django.utils import timezone

    from tracker.charts import data as chart_data

    options, today = chart_data.ChartOptions(range_key="all"), timezone.localdate()
    print("\nCPU medians, ms (?range=all, 3 years), and their ratios to floor (b)\n")
    print("| chart | panels | floor (b) | bare, same panels | bare, same panels, constrained layout "
          "| draw: figure to SVG |")
    print("|---|---:|---:|---:|---:|---:|")

    def median_cpu(run) -> float:
        return statistics.median(timed(run) for _ in range(repeats))

    for name in charts:
        built = chart_data.build(name, patient, patient.profile, options, today)
        points, panels = len(built.rows), built.render("svg", size="wide").count(b'<g id="axes_')
        floor = median_cpu(partial(bare_figure_svg, points))
        cells = [median_cpu(partial(bare_figure_svg, points, panels)),
                 median_cpu(partial(bare_figure_svg, points, panels, "constrained")),
                 median_cpu(partial(built.render, "svg", size="wide"))]
        print(f"| {name} | {panels} | {floor:.1f} | "
              + " | ".join(f"{cell:.1f} ({cell / floor:.2f}x)" for cell in cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed requests each instead of 15")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    parser.add_argument("--profile", metavar="CHART", choices=CHARTS, help="a cProfile of one cold chart")
    parser.add_argument("--parts", action="store_true", help="a cold chart's read and draw apart")
    parser.add_argument("--floors", action="store_true",
                        help="bare figures of each chart's shape (panels, layout engine) against floor (b)")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 15

    tmpdir = tempfile.mkdtemp(prefix="rehab-bench-cache-")
    try:
        database = configure(tmpdir)
        os.environ.setdefault("CHART_RATE_PER_MINUTE", "100000")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client

        from tracker.models import User

        settings.ROOT_URLCONF = "bench.floors"
        call_command("migrate", verbosity=0)  # creates the cache table too (tracker.apps)
        User.objects.filter(username="bench-cache-3y").delete()
        with transaction.atomic():
            counts = build_patient("bench-cache-3y", DAYS, seed=3)
        patient = User.objects.get(username="bench-cache-3y")
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"Database: {connection.vendor} ({database.split('@')[-1]}); cache: {cache_backend}; "
              f"{repeats} timed runs each after one warm-up.")
        print("3 years: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        client = Client()
        client.force_login(patient)
        if args.profile:
            profile(client, patient, args.profile)
            return 0
        if args.parts:
            parts(patient, repeats)
            return 0
        if args.floors:
            floors(patient, repeats)
            return 0
        checks = print_table(ratios(measure(client, patient, repeats)))
        failed = [name for name, ok, _value in checks if not ok]
        print(f"\n{len(checks) - len(failed)} of {len(checks)} targets met.")
        if os.environ.get("BENCH_DATABASE_URL"):
            User.objects.filter(username="bench-cache-3y").delete()
        connection.close()
        return 1 if failed and args.strict else 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
