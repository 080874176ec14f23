"""Hypothesis profiles: "dev" (the default) runs a third of each test's examples, "ci" all of them.

HYPOTHESIS_PROFILE=ci selects the full count (.ci/run does so for its PostgreSQL run). Both profiles
are derandomized: every run sends the same examples, so a failure seen once is seen again.
Loaded by tests/conftest.py before any test module builds its settings.
"""

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
FULL = "ci"


def examples(full: int) -> int:
    """A test's number of examples under the loaded profile: `full` for ci, a third (at least 5) for dev."""
    return full if PROFILE == FULL else max(5, full // 3)


settings.register_profile(FULL, derandomize=True, database=None)
settings.register_profile("dev", derandomize=True, database=None,
                          max_examples=max(5, settings.default.max_examples // 3))
settings.load_profile(PROFILE)  # an unknown name fails the run at once
