"""Speed benchmark of the dashboard and the progress charts (`make bench`).

Creates three patients with 1 month, 1 year and 3 years of daily data (and a fourth: 1 month and one
session dated 1900, whose charts must cost no more than twice the 1-month ones), then times the dashboard
and every chart through Django's test client (the whole request: middleware, view, queries,
rendering) and counts the SQL queries of each request.

It uses a throwaway SQLite file in a temporary folder, or the database in BENCH_DATABASE_URL
(e.g. a scratch PostgreSQL database: it is migrated and the bench-* patients are replaced).

    .venv/bin/python bench/charts.py            # 15 timed requests per endpoint
    .venv/bin/python bench/charts.py --quick    # 3 per endpoint, a smoke run
    .venv/bin/python bench/charts.py --strict   # exit 1 if a target is missed
    .venv/bin/python bench/charts.py --profile "/charts/volume.svg?range=all"

Django is configured only in main(), so tests can import build_patient() under pytest-django.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIZES = {"1 month": 30, "1 year": 365, "3 years": 3 * 365}
# A 1-month patient with one more session, dated 1 January 1900 (issue 19: a typo or an attacker once
# made the volume chart draw 6,623 weekly bars, 30 s of CPU): no slower than MAX_GROWTH x 1 month.
WITH_1900 = "1 month + 1900"
OLD_SESSION = datetime.date(1900, 1, 1)
CHARTS = ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence")
ENDPOINTS = [
    ("dashboard", "/"),
    ("dashboard all", "/?range=all"),
    *[(f"{name}.svg", f"/charts/{name}.svg") for name in CHARTS],
    *[(f"{name}.svg all", f"/charts/{name}.svg?range=all") for name in CHARTS],
]
DASHBOARD_TARGET_MS = 150
CHART_TARGET_MS = 250
MAX_GROWTH = 2.0  # 3 years may take at most this many times the 1-month time

# (slug, sets, amount, side): the daily programme the fake patients pick 4-5 exercises from.
PROGRAMME = [
    ("eccentric-heel-drop-straight", 3, 15, "both"),
    ("eccentric-heel-drop-bent", 3, 15, "both"),
    ("single-leg-calf-raise", 3, 12, "left"),
    ("seated-calf-raise", 3, 15, "both"),
    ("wall-gastrocnemius-stretch", 3, 30, "both"),
    ("soleus-stretch", 3, 30, "both"),
    ("stationary-cycling", 1, 20, "both"),
]


# --- data -----------------------------------------------------------------------------------------


def _reading(rng: random.Random, true_cm: float) -> Decimal:
    return Decimal(f"{true_cm + rng.uniform(-0.2, 0.2):.1f}")


def build_patient(username: str, days: int, *, seed: int = 1) -> dict[str, int]:
    """A left-calf patient with `days` days of history ending today; returns the row counts.

    About one session a day (4-5 exercises each), girth twice a week (tt10 and max), a heel-rise
    test every two weeks, a check-in on nine days in ten and four prescriptions from day one.
    """
    # Imported here: the module must be importable before Django is configured (see main()).
    from django.utils import timezone

    from tracker.models import (
        Exercise,
        ExerciseEntry,
        ExerciseSession,
        GirthMeasurement,
        HeelRiseTest,
        Prescription,
        SymptomLog,
    )
    from tracker.services.accounts import create_patient

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    patient = create_patient(
        username=username,
        password=None,
        first_name="Bench",
        affected_side="left",
        condition="Atrophy of the medial head of the left gastrocnemius",
        onset_date=start - datetime.timedelta(weeks=6),
        sex="F",
        birth_year=today.year - 35,
    )
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=[row[0] for row in PROGRAMME])}

    for slug, sets, amount, side in [PROGRAMME[i] for i in (0, 1, 2, 4)]:
        exercise = exercises[slug]
        Prescription.objects.create(
            patient=patient, exercise=exercise, sets=sets, side=side, times_per_week=4,
            start_date=start, **{exercise.amount_field: amount},
        )

    def progress(day: datetime.date) -> float:
        return (day - start).days / max(1, days - 1)

    measurements = []
    for offset in range(0, days, 7):
        day = start + datetime.timedelta(days=offset)
        for site, delta_days, right_cm in (("tt10", 0, 37.5), ("max", 3, 39.4)):
            when = day + datetime.timedelta(days=delta_days)
            if when > today:
                continue
            left_cm = right_cm - 3.5 + 2.0 * progress(when)
            m = GirthMeasurement(patient=patient, date=when, site=site)
            m.left_1, m.left_2, m.left_3 = (_reading(rng, left_cm) for _ in range(3))
            m.right_1, m.right_2, m.right_3 = (_reading(rng, right_cm) for _ in range(3))
            m.compute_means()
            measurements.append(m)
    GirthMeasurement.objects.bulk_create(measurements, batch_size=500)

    HeelRiseTest.objects.bulk_create(
        [
            HeelRiseTest(
                patient=patient,
                date=start + datetime.timedelta(days=offset),
                reps_left=round(12 + 13 * progress(start + datetime.timedelta(days=offset))),
                reps_right=27 + rng.choice([-1, 0, 1]),
                incline=10,
            )
            for offset in range(0, days, 14)
        ],
        batch_size=500,
    )

    sessions, planned_entries, logs = [], [], []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        base_pain = max(1, round(4 - 3 * progress(day)))
        times = [datetime.time(7, 30)] if rng.random() < 0.95 else []
        if rng.random() < 0.05:
            times.append(datetime.time(18, 0))
        for at in times:
            performed_at = timezone.make_aware(datetime.datetime.combine(day, at))
            if performed_at > now:
                continue
            sessions.append(
                ExerciseSession(
                    patient=patient,
                    performed_at=performed_at,
                    duration_minutes=rng.choice([25, 30, 35, 40]),
                    pain_before=base_pain,
                    pain_after=min(10, base_pain + rng.choice([0, 1, 1, 2])),
                    rpe=rng.choice([5, 6, 7]),
                )
            )
            chosen = PROGRAMME[:3] + rng.sample(PROGRAMME[3:], rng.choice([1, 2]))
            planned_entries.append([(slug, sets, amount, side, min(10, base_pain + rng.choice([0, 1, 2])))
                                    for slug, sets, amount, side in chosen])
        if rng.random() < 0.9:
            logs.append(
                SymptomLog(
                    patient=patient,
                    date=day,
                    pain_at_rest=max(0, base_pain - rng.choice([0, 1, 1])),
                    pain_next_morning=max(0, base_pain - rng.choice([0, 0, 1])),
                    night_cramps=max(0, round(2 * (1 - progress(day))) + rng.choice([-1, 0, 0, 1])),
                    stiffness=max(0, round(6 - 4 * progress(day))),
                    limping=progress(day) < 0.3,
                    tp_left_lower_medial=rng.random() < 0.3,
                )
            )
    # SQLite >= 3.35 and PostgreSQL give bulk-created rows their primary keys.
    ExerciseSession.objects.bulk_create(sessions, batch_size=500)
    entries = []
    for session, planned in zip(sessions, planned_entries, strict=True):
        for slug, sets, amount, side, pain in planned:
            exercise = exercises[slug]
            entries.append(
                ExerciseEntry(session=session, exercise=exercise, sets=sets, side=side, pain_during=pain,
                              **{exercise.amount_field: amount})
            )
    ExerciseEntry.objects.bulk_create(entries, batch_size=500)
    SymptomLog.objects.bulk_create(logs, batch_size=500)
    return {
        "sessions": len(sessions),
        "entries": len(entries),
        "measurements": len(measurements),
        "heel-rise tests": (days + 13) // 14,
        "check-ins": len(logs),
    }


def add_1900_session(username: str) -> None:
    """One session of one exercise on 1 January 1900, as POST /api/v1/sessions/ accepts it."""
    from django.utils import timezone

    from tracker.models import Exercise, ExerciseEntry, ExerciseSession, User

    session = ExerciseSession.objects.create(
        patient=User.objects.get(username=username),
        performed_at=timezone.make_aware(datetime.datetime.combine(OLD_SESSION, datetime.time(12))),
    )
    ExerciseEntry.objects.create(session=session, exercise=Exercise.objects.get(slug=PROGRAMME[2][0]),
                                 side="left", sets=3, reps=12)


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Result:
    size: str
    endpoint: str
    times_ms: list[float]
    queries: list[str] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process only: less noisy on a busy machine

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank


def measure(clients: dict, endpoint: str, url: str, repeats: int) -> dict[str, Result]:
    """Per patient one counted warm-up request, then `repeats` timed ones.

    The timed requests take turns between the patients, so a burst of load on a shared machine
    slows every size alike. No If-None-Match is sent: every request renders.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for size, client in clients.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HOST="localhost")
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} for the {size} patient")
        # Read now: the next request clears the connection's query log.
        results[size] = Result(size, endpoint, [], [q["sql"] for q in captured.captured_queries])
    for _ in range(repeats):
        for size, client in clients.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(url, HTTP_HOST="localhost")
            results[size].times_ms.append((time.perf_counter() - began) * 1000)
            results[size].cpu_ms.append((time.process_time() - began_cpu) * 1000)
    return results


def _shape(sql: str) -> str:
    """A query without its literal values, to compare queries between patients."""
    return re.sub(r"'[^']*'|\b\d+(\.\d+)?\b", "?", sql)


def check_targets(results: dict[tuple[str, str], Result]) -> list[tuple[str, bool, str]]:
    small, big = "1 month", "3 years"
    checks = []
    for endpoint, _ in ENDPOINTS:
        limit = DASHBOARD_TARGET_MS if endpoint.startswith("dashboard") else CHART_TARGET_MS
        r = results[big, endpoint]
        checks.append((f"{endpoint}: median < {limit} ms at 3 years", r.median < limit,
                       f"{r.median:.1f} ms (cpu {r.cpu_median:.1f} ms)"))
    for endpoint, _ in ENDPOINTS:
        counts = [len(results[size, endpoint].queries) for size in (*SIZES, WITH_1900)]
        checks.append((f"{endpoint}: same query count at every size", len(set(counts)) == 1,
                       " / ".join(map(str, counts))))
    for other in (big, WITH_1900):
        for endpoint, _ in ENDPOINTS:
            ratio = results[other, endpoint].median / results[small, endpoint].median
            cpu_ratio = results[other, endpoint].cpu_median / results[small, endpoint].cpu_median
            name = f"{endpoint}: {other} <= {MAX_GROWTH:g} x 1 month"
            checks.append((name, ratio <= MAX_GROWTH, f"{ratio:.2f} x (cpu {cpu_ratio:.2f} x)"))
    return checks


def query_differences(results: dict[tuple[str, str], Result]) -> list[str]:
    """For each endpoint whose query count changes with the size, the queries that differ."""
    lines = []
    for endpoint, _ in ENDPOINTS:
        by_size = {size: [_shape(q) for q in results[size, endpoint].queries] for size in (*SIZES, WITH_1900)}
        if len({len(qs) for qs in by_size.values()}) == 1:
            continue
        reference = Counter(by_size["3 years"])
        for size, queries in by_size.items():
            only_here, only_there = Counter(queries) - reference, reference - Counter(queries)
            if size != "3 years" and (only_here or only_there):
                lines.append(f"{endpoint} ({size}: {len(queries)} vs 3 years: {reference.total()}):")
                lines += [f"    only {size}: {q[:300]}" for q in only_here.elements()]
                lines += [f"    only 3 years: {q[:300]}" for q in only_there.elements()]
    return lines


def profile(client, url: str) -> None:
    import cProfile
    import pstats

    client.get(url, HTTP_HOST="localhost")
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url, HTTP_HOST="localhost")
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\nProfile of GET {url} (3-year patient): project functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(r"/tracker/", 25)
    print("... and the 15 functions with the most time of their own")
    stats.sort_stats("tottime").print_stats(15)


# --- main -----------------------------------------------------------------------------------------


def configure(tmpdir: str) -> str:
    """Settings and database; must run before django.setup()."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # WhiteNoise warns that STATIC_ROOT (collectstatic's output) is missing; no static file is served here.
    warnings.filterwarnings("ignore", message="No directory at")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed requests per endpoint instead of 15")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    parser.add_argument("--profile", metavar="URL", help="also print a cProfile of one request for 3 years")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 15

    tmpdir = tempfile.mkdtemp(prefix="rehab-bench-")
    try:
        database = configure(tmpdir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client

        from tracker.models import User

        print(f"Database: {connection.vendor} ({database.split('@')[-1]}); "
              f"{repeats} timed requests per endpoint, after one counted warm-up.")
        call_command("migrate", verbosity=0)
        User.objects.filter(username__startswith="bench-").delete()
        patients = {}
        for seed, (size, days) in enumerate(SIZES.items(), start=1):
            began = time.perf_counter()
            with transaction.atomic():
                counts = build_patient(f"bench-{days}d", days, seed=seed)
            patients[size] = User.objects.get(username=f"bench-{days}d")
            print(f"  {size:8} {', '.join(f'{n} {what}' for what, n in counts.items())} "
                  f"(built in {time.perf_counter() - began:.1f} s)")
        with transaction.atomic():
            build_patient("bench-1900", SIZES["1 month"], seed=1)
            add_1900_session("bench-1900")
        patients[WITH_1900] = User.objects.get(username="bench-1900")
        print(f"  {WITH_1900}: the 1-month patient's data and one session on {OLD_SESSION:%d %B %Y}")
        sizes = [*SIZES, WITH_1900]

        clients = {}
        for size, patient in patients.items():
            clients[size] = Client()
            clients[size].force_login(patient)
        results: dict[tuple[str, str], Result] = {}
        for endpoint, url in ENDPOINTS:
            for size, result in measure(clients, endpoint, url, repeats).items():
                results[size, endpoint] = result

        header = (f"{'size':8} | {'endpoint':18} | {'median ms':>9} | {'p95 ms':>7} | {'queries':>7} "
                  f"| {'cpu median ms':>13}")
        print("\n" + header + "\n" + "-" * len(header))
        for (size, endpoint), r in sorted(results.items(), key=lambda item: sizes.index(item[0][0])):
            print(f"{size:8} | {endpoint:18} | {r.median:9.1f} | {r.p95:7.1f} | {len(r.queries):7} "
                  f"| {r.cpu_median:13.1f}")

        checks = check_targets(results)
        print("\nTargets:")
        for name, ok, value in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value}")
        differences = query_differences(results)
        if differences:
            print("\nQueries that differ between sizes (literals shown as ?):")
            print("\n".join(differences))

        if args.profile:
            client = Client()
            client.force_login(patients["3 years"])
            profile(client, args.profile)

        print("\nMarkdown:\n")
        columns = [f"{size}: median / p95 ms (cpu), queries" for size in sizes]
        print("| Endpoint | " + " | ".join(columns) + " |")
        print("|---|" + "---:|" * len(sizes))
        for endpoint, url in ENDPOINTS:
            cells = []
            for size in sizes:
                r = results[size, endpoint]
                cells.append(f"{r.median:.0f} / {r.p95:.0f} ({r.cpu_median:.0f}), {len(r.queries)}")
            print(f"| `GET {url}` | " + " | ".join(cells) + " |")
        failed = [name for name, ok, _ in checks if not ok]
        print(f"\n{len(checks) - len(failed)} of {len(checks)} targets met.")

        if os.environ.get("BENCH_DATABASE_URL"):
            User.objects.filter(username__startswith="bench-").delete()
        connection.close()
        return 1 if failed and args.strict else 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
