"""Speed of the CSV import of 10,000 girth measurements: the preview (upload) and the confirm.

    .venv/bin/python bench/imports.py            # 3 timed runs of each
    .venv/bin/python bench/imports.py --runs 1

Each run uses a fresh patient on a throwaway SQLite file (test settings, DEBUG off) and goes through
Django's test client like a browser: POST the file (the preview page), then POST confirm (the rows
are stored). Prints the median wall and CPU time of each step, the SQL query count, and how many
rows were stored. Django is configured only in main(), so tests can import the CSV builder.
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
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10_000


def csv_of(rows: int = ROWS, *, first: datetime.date = datetime.date(1995, 1, 1)) -> bytes:
    """`rows` measurements, one a day at 10 cm below the tibial tuberosity, two readings a leg."""
    lines = ["date,site,left_cm,right_cm,left_readings,right_readings,measured_by,notes"]
    for offset in range(rows):
        day = first + datetime.timedelta(days=offset)
        left = 33.0 + (offset % 20) / 10
        lines.append(f"{day.isoformat()},tt10,{left + 0.1:.2f},37.55,{left:.1f};{left + 0.2:.1f},37.5;37.6,"
                     f"self,row {offset}")
    return ("\n".join(lines) + "\n").encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="rehab-bench-import-")
    try:
        sys.path.insert(0, str(ROOT))
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
        warnings.filterwarnings("ignore", message="No directory at")
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, override_settings

        from tracker.models import GirthMeasurement
        from tracker.services.accounts import create_patient

        call_command("migrate", verbosity=0)
        content = csv_of()
        timings: dict[str, list[tuple[float, float, int]]] = {"preview": [], "confirm": []}
        stored = []
        # No rate limit here: the bench repeats the import on purpose.
        with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {}}):
            for run in range(args.runs):
                patient = create_patient(username=f"bench-import-{run}", password=None)
                client = Client(HTTP_HOST="localhost")
                client.force_login(patient)
                upload = SimpleUploadedFile("m.csv", content, content_type="text/csv")
                steps = {
                    "preview": (client.post, "/import/measurements/", {"file": upload, "date_format": "iso"}),
                    "confirm": (client.post, "/import/measurements/", {"confirm": "yes"}),
                }
                for step, (send, url, data) in steps.items():
                    began, began_cpu = time.perf_counter(), time.process_time()
                    with CaptureQueriesContext(connection) as queries:
                        response = send(url, data)
                    wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
                    if response.status_code not in (200, 302):
                        raise SystemExit(f"{step} answered {response.status_code}")
                    timings[step].append((wall, cpu, len(queries.captured_queries)))
                stored.append(GirthMeasurement.objects.filter(patient=patient).count())
        print(f"CSV import of {ROWS:,} rows ({len(content) / 1024:.0f} kB), {args.runs} run(s), "
              f"database {connection.vendor}:")
        for step, runs in timings.items():
            print(f"  {step:8} median {statistics.median(r[0] for r in runs):6.2f} s wall, "
                  f"{statistics.median(r[1] for r in runs):6.2f} s CPU, {runs[0][2]:,} queries")
        print(f"  rows stored per run: {stored}")
        connection.close()
        return 0 if all(count == ROWS for count in stored) else 1
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
