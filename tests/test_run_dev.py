"""`make run` (scripts/run_dev.py): the consumer starts beside the web server, and Ctrl+C stops both."""

import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.queue.conftest import free_port, wait_for

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_one_command_starts_both_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT_DIR, env=env, check=True)
    log = tmp_path / "run.log"
    # Started with Ctrl+C ignored, as a shell's background job is (and as it once inherited from a
    # test worker, hanging this test): run_dev.py must still stop on it.
    command = f"trap '' INT QUIT; exec {shlex.quote(sys.executable)} scripts/run_dev.py 127.0.0.1:{port}"
    with open(log, "w") as output:
        runner = subprocess.Popen(
            ["sh", "-c", command],
            cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_for(lambda: "Huey consumer started" in log.read_text(), timeout=90, what="the consumer")

        def web_answers():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
            except OSError:
                return False

        wait_for(web_answers, timeout=90, what="the web server")
    finally:
        os.killpg(runner.pid, signal.SIGINT)  # Ctrl+C in a terminal reaches the whole group
        try:
            runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            runner.terminate()  # its SIGTERM handler stops both children, so that none is left over
            runner.wait(timeout=30)
            raise
    text = log.read_text()
    assert "Starting the task queue consumer" in text
    assert "Stopping the web server and the consumer" in text
    assert "Shutting down" in text  # the consumer's own goodbye
    time.sleep(0.5)
    assert not web_answers()


def test_make_run_points_the_e_mail_links_at_its_own_address():
    def dry_run(*args):
        env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
        return subprocess.run(["make", "-n", "run", *args], cwd=PROJECT_DIR, env=env, text=True,
                              capture_output=True, check=True).stdout

    assert "SITE_URL=http://127.0.0.1:8000 " in dry_run()
    assert "SITE_URL=http://127.0.0.1:8765 " in dry_run("PORT=8765")
    assert "SITE_URL=http://localhost:8080 " in dry_run("HOST=0.0.0.0", "PORT=8080")  # all interfaces
    assert "SITE_URL=https://rehab.example " in dry_run("PORT=8765", "SITE_URL=https://rehab.example")
