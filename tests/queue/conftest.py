"""What the queue tests share: a real SMTP server on 127.0.0.1, a freshly migrated scratch database of
the test run's engine, and real consumers (`manage.py run_huey`) in subprocesses.

The subprocesses run with the production settings (`rehab.settings`) and Django's SMTP backend, on
the same queue storage as this test run: a SQLite file, or Redis when REDIS_URL is set.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_concurrency import _scratch_url

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float = 60, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def daytime_zone() -> tuple[str, str]:
    """A fixed-offset zone where it is now about noon (so that a reminder is due whatever the hour of
    the test run), and a reminder time there just past, "HH:MM"."""
    now = datetime.datetime.now(datetime.UTC)
    offset = (12 - now.hour + 12) % 24 - 12  # hours to add to UTC: -12 .. 11
    zone = f"Etc/GMT{-offset:+d}"  # the Etc zones' signs are inverted: Etc/GMT-5 is UTC+5
    local = now + datetime.timedelta(hours=offset)
    return zone, f"{max(local.hour - 1, 8):02d}:{local.minute:02d}"


class Inbox:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on 127.0.0.1:port, started and stopped at will."""

    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


# --- the scratch database -------------------------------------------------------------------------


def base_env(database_url: str, tmp_path: Path, smtp_port: int) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_DIR),
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DJANGO_SECRET_KEY": "queue-tests-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_TESTING": "1",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url,
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),  # unused when REDIS_URL is set
        "HUEY_IMMEDIATE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "EMAIL_RETRY_DELAY_SECONDS": "1",
        "EMAIL_RETRY_ATTEMPTS": "8",
        "SITE_URL": "https://rehab.example",
        "DJANGO_LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory):
    """A migrated database to copy for each test (a file copy, or CREATE DATABASE ... TEMPLATE)."""
    url, drop = _scratch_url(tmp_path_factory.mktemp("queue-template"))
    env = base_env(url, tmp_path_factory.mktemp("queue-template-huey"), 25)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    yield url
    drop()


@pytest.fixture
def database_url(migrated_template, tmp_path):
    if migrated_template.startswith("sqlite:///"):
        copy = tmp_path / "db.sqlite3"
        shutil.copy(migrated_template.removeprefix("sqlite:///"), copy)
        yield f"sqlite:///{copy}"
        return
    import psycopg
    from django.conf import settings

    config = settings.DATABASES["default"]
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }
    template = migrated_template.rsplit("/", 1)[1]
    name = f"rehab_queue_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield migrated_template.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(database_url, tmp_path, smtp_port):
    """The subprocesses' environment, with a queue of their own (on Redis: a name of their own)."""
    queue_name = f"calf-rehab-test-{uuid.uuid4().hex[:8]}"
    return {**base_env(database_url, tmp_path, smtp_port), "HUEY_NAME": queue_name}


def reminder_rows(database_url: str) -> list[dict]:
    """Every SentReminder of the scratch database, read directly (a worker process takes seconds)."""
    query = "SELECT kind, status, attempts, last_error FROM tracker_sentreminder ORDER BY id"
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=20) as connection:
            rows = connection.execute(query).fetchall()
    else:
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as connection:
            rows = connection.execute(query).fetchall()
    return [dict(zip(("kind", "status", "attempts", "last_error"), row, strict=True)) for row in rows]


def worker(env: dict, *args: str, timeout: float = 120) -> dict:
    """Run tests.queue.worker with these arguments; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.queue.worker", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.queue.worker", *args],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result_of(process: subprocess.Popen, timeout: float = 120) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def consumer(env: dict, log: Path, *, workers: int = 2):
    """`manage.py run_huey`, as in production (periodic tasks off: each test starts its own pass)."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_huey",
                "--workers",
                str(workers),
                "--no-periodic",
                "--max-delay",
                "0.5",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        wait_for(lambda: "Huey consumer started" in log.read_text(), timeout=60, what="the consumer to start")
        yield process
    finally:
        process.send_signal(signal.SIGINT)  # graceful: workers finish their task
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
