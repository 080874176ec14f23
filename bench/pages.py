"""Page speed at scale (`make bench-pages`): the patient's dashboard, the physio's triage home and caseload.

Builds a clinic with `manage.py generate_clinic` (physio clinic-physio-000 has 150 patients) and two
patients with 1 month and 3 years of daily data (bench.charts.build_patient), then requests every page
through Django's test client in rounds, each page after the other, and compares the CPU time this
process spent (median) with a floor measured in the same rounds: a bare `@login_required` page
through the project's middleware and base template, as the same user (bench/floors.py).

    .venv/bin/python bench/pages.py                    # 300 patients, 3 physios (CI), 15 rounds
    .venv/bin/python bench/pages.py --patients 10000 --physios 100
    .venv/bin/python bench/pages.py --quick --strict   # 3 rounds; exit 1 when a target is missed
    .venv/bin/python bench/pages.py --quick --strict-queries   # CI: exit 1 only on a query count

It uses a throwaway SQLite file, or the scratch database in BENCH_DATABASE_URL (e.g. PostgreSQL; it
is migrated, a generated clinic of another size is replaced, and the bench-pages-* patients are
deleted at the end). With PostgreSQL the queries run in the server's processes: the CPU column is
then this (application) process alone, and the wall column includes the database.

Targets: the dashboard (after its first view, which fills the cache) at most DASHBOARD_MAX_RATIO
floors at 1 month and 3 years, with the same query count; the triage home and the caseload of the
physio with 150 patients at most PHYSIO_MAX_RATIO floors (after their first view, which keeps them
in the cache), with the same query count as a physio with fewer patients. Their first view (after
any change to her patients' records: everything worked out) is measured too, after the rounds, each
with the cache emptied first; it has no target and is divided by the floor of the rounds.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DASHBOARD_MAX_RATIO = 3.0
PHYSIO_MAX_RATIO = 5.0
BUSY, OTHER = "clinic-physio-000", "clinic-physio-001"
PATIENTS = {"1 month": ("bench-pages-30d", 30), "3 years": ("bench-pages-1095d", 3 * 365)}
TRIAGE_HOME, CASELOAD = "/admin/", "/admin/tracker/patientprofile/"


@dataclass
class Page:
    name: str
    user: str  # username of the client
    url: str
    floor: str = ""  # name of the page it is divided by ("" for a floor)
    max_ratio: float | None = None
    cpu_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    queries: int = 0
    first_view: bool = False  # measured with an empty cache, after the other pages (no target)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_ms)


def pages(patients_of_other: int) -> list[Page]:
    from bench.floors import BARE_PAGE, BARE_VIEW

    patient, physio = PATIENTS["3 years"][0], BUSY
    result = [
        Page("floor: bare view (patient)", patient, BARE_VIEW),
        Page("floor: bare page (patient)", patient, BARE_PAGE),
        Page("floor: bare page (physio)", physio, BARE_PAGE),
    ]
    for size, (username, _days) in PATIENTS.items():
        for suffix in ("", "?range=all"):
            result.append(Page(f"dashboard /{suffix}, {size}", username, "/" + suffix,
                               "floor: bare page (patient)", DASHBOARD_MAX_RATIO))
    for url, what in ((TRIAGE_HOME, "triage home"), (CASELOAD, "caseload")):
        result.append(Page(f"{what}, 150 patients", BUSY, url, "floor: bare page (physio)", PHYSIO_MAX_RATIO))
        result.append(Page(f"{what}, {patients_of_other} patients", OTHER, url, "floor: bare page (physio)"))
    for url, what in ((TRIAGE_HOME, "triage home"), (CASELOAD, "caseload")):
        # The first view after a change to any of her patients' records: everything worked out.
        result.append(Page(f"{what}, 150 patients, first view", BUSY, url, "floor: bare page (physio)",
                           first_view=True))
    return result


def timed_get(client, url: str, *, count: bool = False) -> tuple[float, float, int]:
    """(cpu ms, wall ms, queries or 0) of one GET, which must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if count:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HOST="localhost")
        queries = len(captured.captured_queries)
    else:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, HTTP_HOST="localhost")
        cpu, wall = (time.process_time() - began_cpu) * 1000, (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return (0.0, 0.0, queries) if count else (cpu, wall, 0)


def measure(page_list: list[Page], clients: dict, repeats: int) -> None:
    """Two warm-ups per page (the first fills the caches), one counted request, then `repeats` rounds;
    then the first views, each after emptying the cache (untimed), with their floor again."""
    from django.core.cache import cache

    def rounds(pages: list[Page], prepare=lambda: None) -> None:
        for _ in range(repeats):
            for page in pages:
                prepare()
                cpu, wall, _ = timed_get(clients[page.user], page.url)
                page.cpu_ms.append(cpu)
                page.wall_ms.append(wall)

    kept = [page for page in page_list if not page.first_view]
    for page in kept:
        timed_get(clients[page.user], page.url)
        timed_get(clients[page.user], page.url)
        page.queries = timed_get(clients[page.user], page.url, count=True)[2]
    rounds(kept)
    first_views = [page for page in page_list if page.first_view]
    for page in first_views:
        cache.clear()
        page.queries = timed_get(clients[page.user], page.url, count=True)[2]
    rounds(first_views, prepare=cache.clear)


def checks(page_list: list[Page]) -> list[tuple[str, bool, str]]:
    by_name = {page.name: page for page in page_list}
    found = []
    for page in page_list:
        if page.max_ratio is not None:
            ratio = page.cpu / by_name[page.floor].cpu
            name = f"{page.name}: at most {page.max_ratio:g} x the floor (cpu)"
            found.append((name, ratio <= page.max_ratio, f"{ratio:.1f} x"))
    pairs = [("dashboard /, 1 month", "dashboard /, 3 years"),
             ("dashboard /?range=all, 1 month", "dashboard /?range=all, 3 years")]
    for what in ("triage home", "caseload"):
        pairs.append(tuple(page.name for page in page_list
                           if page.name.startswith(what + ",") and not page.first_view))
    for small, big in pairs:
        a, b = by_name[small].queries, by_name[big].queries
        found.append((f"same queries: {small} / {big.split(', ')[-1]}", a == b, f"{a} / {b}"))
    return found


def build_data(patients: int, physios: int, out) -> int:
    """The clinic (kept when one of this size is there) and the two dashboard patients; returns the
    number of patients of clinic-physio-001."""
    from django.core.management import call_command
    from django.db import transaction

    from bench.charts import build_patient
    from tracker.models import PatientProfile, User

    have = (User.objects.filter(username__startswith="clinic-p0").count(),
            User.objects.filter(username__startswith="clinic-physio-").count())
    if have != (patients, physios):
        began = time.perf_counter()
        call_command("generate_clinic", delete=True, stdout=io.StringIO())
        call_command("generate_clinic", patients=patients, physios=physios, stdout=io.StringIO())
        out(f"Generated {patients} patients and {physios} physios in {time.perf_counter() - began:.0f} s.")
    else:
        out(f"Reusing the generated clinic of {patients} patients and {physios} physios.")
    User.objects.filter(username__startswith="bench-pages-").delete()
    for seed, (username, days) in enumerate(PATIENTS.values(), start=1):
        with transaction.atomic():
            build_patient(username, days, seed=seed)
    return PatientProfile.objects.filter(physio__username=OTHER).count()


def report(page_list: list[Page], found: list[tuple[str, bool, str]], out) -> None:
    by_name = {page.name: page for page in page_list}
    header = f"{'page':36} | {'cpu ms':>7} | {'x floor':>7} | {'wall ms':>7} | queries"
    out("\n" + header + "\n" + "-" * len(header))
    for page in page_list:
        ratio = f"{page.cpu / by_name[page.floor].cpu:7.1f}" if page.floor else f"{'1.0':>7}"
        out(f"{page.name:36} | {page.cpu:7.1f} | {ratio} | {page.wall:7.1f} | {page.queries}")
    out("\nTargets:")
    for name, ok, value in found:
        out(f"  {'PASS' if ok else 'FAIL'}  {name}: {value}")
    out("\nMarkdown:\n\n| page | CPU median | against its floor | wall median | queries |")
    out("|---|---:|---:|---:|---:|")
    for page in page_list:
        ratio = f"{page.cpu / by_name[page.floor].cpu:.1f}" if page.floor else "1.0"
        out(f"| {page.name} | {page.cpu:.1f} ms | {ratio} | {page.wall:.1f} ms | {page.queries} |")
    out(f"\n{sum(ok for _, ok, _ in found)} of {len(found)} targets met.")


def configure(tmpdir: str) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=300, help="clinic size (10000: the full run)")
    parser.add_argument("--physios", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 15")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--strict-queries", action="store_true",
                        help="exit 1 when a query count grows with the data (ratios only reported: CI)")
    args = parser.parse_args(argv)

    tmpdir = tempfile.mkdtemp(prefix="rehab-bench-pages-")
    try:
        database = configure(tmpdir)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from tracker.models import User

        settings.ROOT_URLCONF = "bench.floors"
        print(f"Database: {connection.vendor} ({database.split('@')[-1]})")
        call_command("migrate", verbosity=0)
        others = build_data(args.patients, args.physios, print)
        page_list = pages(others)
        clients = {}
        for username in {page.user for page in page_list}:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        measure(page_list, clients, 3 if args.quick else 15)
        found = checks(page_list)
        report(page_list, found, print)
        if os.environ.get("BENCH_DATABASE_URL"):
            User.objects.filter(username__startswith="bench-pages-").delete()
        connection.close()
        missed = [name for name, ok, _ in found if not ok]
        if args.strict_queries:
            missed = [name for name in missed if name.startswith("same queries")]
        return 1 if (args.strict or args.strict_queries) and missed else 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
