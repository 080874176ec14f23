"""The task queue's and the reminders' settings, read from environment variables (in subprocesses)."""

import json
import os
import subprocess
import sys

import pytest

from tests.test_settings import KEY, PASS_THROUGH, PROJECT_DIR

REPORT = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
from django.conf import settings as s
print(json.dumps({
    "HUEY": s.HUEY, "SITE_URL": s.SITE_URL, "REMINDER_PASS_MINUTES": s.REMINDER_PASS_MINUTES,
    "EMAIL_RETRY_ATTEMPTS": s.EMAIL_RETRY_ATTEMPTS, "EMAIL_RETRY_DELAY_SECONDS": s.EMAIL_RETRY_DELAY_SECONDS,
    "EMAIL_TIMEOUT": s.EMAIL_TIMEOUT,
}))
"""


def run(**variables: str) -> subprocess.CompletedProcess:
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env.update(KEY, **variables)
    return subprocess.run(
        [sys.executable, "-c", REPORT], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60
    )


def settings_with(**variables: str) -> dict:
    result = run(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_the_queue_is_a_sqlite_file_beside_the_database_and_waits_for_a_consumer():
    values = settings_with()
    huey = values["HUEY"]
    assert huey["huey_class"] == "huey.SqliteHuey"
    assert huey["filename"] == str(PROJECT_DIR / "huey.sqlite3")
    assert (huey["immediate"], huey["name"]) == (False, "calf-rehab")
    assert huey["consumer"] == {"workers": 2, "worker_type": "thread"}
    assert values["SITE_URL"] == "http://localhost:8000"
    assert (values["REMINDER_PASS_MINUTES"], values["EMAIL_RETRY_ATTEMPTS"]) == (5, 8)
    assert (values["EMAIL_RETRY_DELAY_SECONDS"], values["EMAIL_TIMEOUT"]) == (60, 30)


def test_the_queue_file_follows_the_database_or_its_own_variable(tmp_path):
    beside = settings_with(DATABASE_URL=f"sqlite:///{tmp_path}/clinic.sqlite3")
    assert beside["HUEY"]["filename"] == str(tmp_path / "huey.sqlite3")
    chosen = settings_with(HUEY_SQLITE_PATH=str(tmp_path / "queue.db"))
    assert chosen["HUEY"]["filename"] == str(tmp_path / "queue.db")


def test_redis_url_puts_the_queue_on_redis():
    huey = settings_with(REDIS_URL="redis://127.0.0.1:6390/2", HUEY_WORKERS="4", HUEY_NAME="clinic-b")["HUEY"]
    assert (huey["huey_class"], huey["url"]) == ("huey.RedisHuey", "redis://127.0.0.1:6390/2")
    assert huey["name"] == "clinic-b"
    assert "filename" not in huey
    assert huey["consumer"]["workers"] == 4


def test_the_site_url_loses_its_trailing_slash():
    assert settings_with(SITE_URL="https://rehab.example.org/")["SITE_URL"] == "https://rehab.example.org"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REDIS_URL", "localhost:6379"),
        ("SITE_URL", "rehab.example.org"),
        ("REMINDER_PASS_MINUTES", "60"),
        ("REMINDER_PASS_MINUTES", "0"),
        ("EMAIL_RETRY_ATTEMPTS", "0"),
        ("HUEY_IMMEDIATE", "perhaps"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = run(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr.strip().splitlines()[-1]
