"""Speed benchmark of the physio's workspace (`make bench-review`): the review page, the triage
home and the caseload, on the demo data and on a caseload of many patients.

Timings on a shared machine are noisy, so every endpoint is measured in turns with a floor: a
minimal admin page (the password form: middleware, session, the admin's base template). The
verdicts are ratios to that floor, and the CPU time this process spent, next to the wall time.

    .venv/bin/python bench/review.py            # 15 timed requests per endpoint
    .venv/bin/python bench/review.py --quick    # 3 per endpoint, 50 extra patients instead of 200
    .venv/bin/python bench/review.py --strict   # exit 1 if a target is missed

Targets: the demo patient's review page renders in under 1 s (CPU median, charts load lazily as
separate requests) and within REVIEW_MAX_RATIO x the floor; the triage home runs the same number
of queries with the demo caseload as with 200 more patients.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REVIEW_TARGET_MS = 1000
REVIEW_MAX_RATIO = 40  # the review page may cost at most this many floors
FLOOR = ("floor: admin password form", "/admin/password_change/")


def configure(tmpdir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")
    scratch = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or scratch


def add_caseload(physio, count: int) -> None:
    """`count` more patients of `physio`, each with 30 days of data (bench.charts.build_patient)."""
    from django.db import transaction

    from bench.charts import build_patient
    from tracker.models import PatientProfile

    with transaction.atomic():
        for index in range(count):
            build_patient(f"bench-caseload-{index:03d}", 30, seed=index)
        PatientProfile.objects.filter(user__username__startswith="bench-caseload-").update(physio=physio)


def timed(client, url: str) -> tuple[float, float, int]:
    """(wall ms, cpu ms, queries) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, HTTP_HOST="localhost")
        wall, cpu = (time.perf_counter() - began) * 1000, (time.process_time() - began_cpu) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return wall, cpu, len(captured.captured_queries)


def measure(client, endpoints: list[tuple[str, str]], repeats: int) -> dict[str, dict]:
    """One warm-up each, then `repeats` rounds taking every endpoint in turn after the floor; each
    result gets its ratio to the floor of the same rounds."""
    endpoints = [FLOOR, *endpoints]
    results = {name: {"wall": [], "cpu": [], "queries": 0} for name, _url in endpoints}
    for name, url in endpoints:
        results[name]["queries"] = timed(client, url)[2]
    for _ in range(repeats):
        for name, url in endpoints:
            wall, cpu, _queries = timed(client, url)
            results[name]["wall"].append(wall)
            results[name]["cpu"].append(cpu)
    floor = statistics.median(results[FLOOR[0]]["cpu"])
    for result in results.values():
        result["ratio"] = statistics.median(result["cpu"]) / floor
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed requests each, 50 extra patients")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    repeats, extra = (3, 50) if args.quick else (15, 200)

    tmpdir = tempfile.mkdtemp(prefix="rehab-bench-review-")
    try:
        configure(tmpdir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from tracker.models import PatientProfile, User

        call_command("migrate", verbosity=0)
        User.objects.filter(username__startswith="bench-caseload-").delete()
        call_command("seed_demo", force=True, stdout=io.StringIO())
        physio = User.objects.get(username="physio")
        demo = PatientProfile.objects.get(user__username="demo")
        client = Client()
        client.force_login(physio)
        review = f"/admin/tracker/patientprofile/{demo.pk}/change/"
        endpoints = [("review page (demo)", review), ("triage home (3 patients)", "/admin/"),
                     ("caseload (3 patients)", "/admin/tracker/patientprofile/")]
        results = measure(client, endpoints, repeats)

        began = time.perf_counter()
        add_caseload(physio, extra)
        print(f"Added {extra} patients of 30 days each in {time.perf_counter() - began:.0f} s.")
        many = [(f"triage home ({extra + 3} patients)", "/admin/"),
                (f"caseload ({extra + 3} patients, 50 a page)", "/admin/tracker/patientprofile/"),
                (f"review page (demo, {extra + 3} patients)", review)]
        crowded = measure(client, many, repeats)
        crowded[f"{FLOOR[0]} (again)"] = crowded.pop(FLOOR[0])
        results.update(crowded)

        header = f"{'endpoint':42} | {'wall median':>11} | {'cpu median':>10} | {'x floor':>7} | queries"
        print("\n" + header + "\n" + "-" * len(header))
        for name, result in results.items():
            cpu = statistics.median(result["cpu"])
            print(f"{name:42} | {statistics.median(result['wall']):8.0f} ms | {cpu:7.0f} ms | "
                  f"{result['ratio']:7.1f} | {result['queries']}")

        review_cpu = statistics.median(results["review page (demo)"]["cpu"])
        ratio = results["review page (demo)"]["ratio"]
        small, large = results["triage home (3 patients)"], results[f"triage home ({extra + 3} patients)"]
        checks = [
            (f"review page under {REVIEW_TARGET_MS} ms (cpu median)", review_cpu < REVIEW_TARGET_MS,
             f"{review_cpu:.0f} ms"),
            (f"review page within {REVIEW_MAX_RATIO} x the floor", ratio <= REVIEW_MAX_RATIO,
             f"{ratio:.1f} x"),
            ("triage home: same query count for 3 and many patients", small["queries"] == large["queries"],
             f"{small['queries']} / {large['queries']}"),
        ]
        print("\nTargets:")
        for name, ok, value in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value}")
        return 1 if args.strict and not all(ok for _name, ok, _value in checks) else 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
