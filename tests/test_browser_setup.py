"""Without Chromium the browser tests are skipped with an install hint, except under CI where they fail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs pytest in a subprocess

ROOT = Path(__file__).resolve().parent.parent
ONE_BROWSER_TEST = "tests/e2e/test_dashboard.py"


def run_browser_tests_without_chromium(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHROMIUM_PATH": str(ROOT / "no-such-chromium"), "CI": ci}
    env.pop("DATABASE_URL", None)  # never touch the test database the outer run is using
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("ci", ["", "false"])
def test_missing_chromium_skips_and_says_how_to_install_it(ci):
    result = run_browser_tests_without_chromium(ci)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" in result.stdout
    assert "install it with: apt-get install chromium" in result.stdout


def test_missing_chromium_fails_under_ci():
    result = run_browser_tests_without_chromium("true")
    assert result.returncode != 0
    assert "CI=true: a missing browser is a failure" in result.stdout
    assert "passed" not in result.stdout.splitlines()[-1]
