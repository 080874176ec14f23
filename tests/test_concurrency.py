"""Concurrent writers lose nothing, and nobody sees "database is locked".

Real concurrency needs real connections to a real database file: pytest-django's SQLite test
database lives in memory (shared cache, no WAL), which would test the wrong thing. So these tests
migrate a scratch database of the same engine as the test run (a temporary SQLite file with the
project's settings: WAL, busy timeout, IMMEDIATE transactions; or a scratch database on the same
PostgreSQL server) and run the writers as separate processes, as gunicorn workers would be.

This module is also the worker script: `python -m tests.test_concurrency write NAME COUNT START_AT`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow  # eight writer processes, each starting Django

PROJECT_DIR = Path(__file__).resolve().parent.parent
WRITERS = 8
ROWS_EACH = 25


# --- the worker side (runs in a subprocess against the scratch database) --------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def write_rows(name: str, count: int, start_at: float) -> dict:
    """Create a patient, then `count` sessions with one exercise each, one transaction per session."""
    from django.db import OperationalError, transaction
    from django.utils import timezone

    from tracker.models import Exercise, ExerciseEntry, ExerciseSession
    from tracker.services.accounts import create_patient

    exercise = Exercise.objects.get(slug="single-leg-calf-raise")
    time.sleep(max(0.0, start_at - time.time()))  # every writer starts at the same moment
    errors, created = [], 0
    patient = create_patient(username=name, password=None)
    for number in range(count):
        try:
            with transaction.atomic():
                session = ExerciseSession.objects.create(
                    patient=patient,
                    performed_at=timezone.now() - timezone.timedelta(minutes=number),
                    notes=f"{name} #{number}",
                )
                ExerciseEntry.objects.create(session=session, exercise=exercise, sets=3, reps=12)
            created += 1
        except OperationalError as error:  # "database is locked" would land here
            errors.append(str(error))
    return {"name": name, "created": created, "errors": errors}


def count_rows() -> dict:
    from django.apps import apps
    from django.db import connection

    from tracker.models import ExerciseEntry, ExerciseSession

    result = {
        "sessions": ExerciseSession.objects.filter(patient__username__startswith="writer-").count(),
        "entries": ExerciseEntry.objects.filter(session__patient__username__startswith="writer-").count(),
        "history": apps.get_model("tracker", "HistoricalExerciseSession").objects.count(),
        "vendor": connection.vendor,
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            result["journal_mode"] = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            result["busy_timeout_ms"] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    return result


def read_in_snapshot(ready: Path, go_on: Path) -> dict:
    """Count sessions twice inside one backup snapshot while another process writes in between."""
    from tracker.models import ExerciseSession
    from tracker.services.backup import read_snapshot

    with read_snapshot("default"):
        first = ExerciseSession.objects.count()
        ready.touch()
        deadline = time.time() + 60
        while not go_on.exists() and time.time() < deadline:
            time.sleep(0.05)
        second = ExerciseSession.objects.count()
    return {"first": first, "second": second, "after": ExerciseSession.objects.count()}


def main(argv: list[str]) -> int:
    _setup_django()
    mode = argv[0]
    if mode == "write":
        result = write_rows(argv[1], int(argv[2]), float(argv[3]))
    elif mode == "count":
        result = count_rows()
    else:
        result = read_in_snapshot(Path(argv[1]), Path(argv[2]))
    print(json.dumps(result))
    return 0


# --- the test side --------------------------------------------------------------------------------


def _scratch_url(tmp_dir: Path) -> tuple[str, object]:
    """A database URL for an empty scratch database of the test run's engine, and a cleanup."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp_dir / 'concurrency.sqlite3'}", lambda: None

    import psycopg

    name = f"rehab_concurrency_{uuid.uuid4().hex[:8]}"
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    credentials = quote(server["user"] or "")
    if server["password"]:
        credentials += ":" + quote(server["password"])
    return f"postgres://{credentials}@{server['host']}:{server['port']}/{name}", drop


@pytest.fixture(scope="module")
def scratch_env(tmp_path_factory):
    """Environment variables pointing Django at a freshly migrated scratch database."""
    url, drop = _scratch_url(tmp_path_factory.mktemp("concurrency"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    yield env
    drop()


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.test_concurrency", *args],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def result_of(process: subprocess.Popen, timeout: float = 180) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_concurrent_writers_lose_nothing(scratch_env):
    start_at = time.time() + 3  # time for every interpreter to start and import Django
    workers = [
        start_worker(scratch_env, "write", f"writer-{n}", str(ROWS_EACH), str(start_at))
        for n in range(WRITERS)
    ]
    results = [result_of(worker) for worker in workers]

    assert [r["errors"] for r in results] == [[]] * WRITERS  # nobody got "database is locked"
    assert sum(r["created"] for r in results) == WRITERS * ROWS_EACH
    counts = result_of(start_worker(scratch_env, "count"))
    assert counts["sessions"] == WRITERS * ROWS_EACH
    assert counts["entries"] == WRITERS * ROWS_EACH
    assert counts["history"] >= WRITERS * ROWS_EACH  # every save recorded in the audit history
    if counts["vendor"] == "sqlite":
        assert counts["journal_mode"] == "wal"
        assert counts["busy_timeout_ms"] >= 5000


def test_a_backup_snapshot_neither_blocks_writers_nor_sees_their_rows(scratch_env, tmp_path):
    ready, go_on = tmp_path / "ready", tmp_path / "go-on"
    reader = start_worker(scratch_env, "snapshot", str(ready), str(go_on))
    deadline = time.time() + 60
    while not ready.exists():
        assert reader.poll() is None, reader.stderr.read()
        assert time.time() < deadline
        time.sleep(0.05)

    started = time.time()
    written = result_of(start_worker(scratch_env, "write", f"late-{uuid.uuid4().hex[:6]}", "5", "0"))
    writer_seconds = time.time() - started
    go_on.touch()
    seen = result_of(reader)

    assert written == {"name": written["name"], "created": 5, "errors": []}
    assert writer_seconds < 15  # it did not sit waiting for the reader's transaction
    assert seen["second"] == seen["first"]  # one consistent snapshot
    assert seen["after"] == seen["first"] + 5


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
