"""Test settings: production settings with the few changes a test run needs."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_TESTING", "1")
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_SECURE_COOKIES"] = "0"
# The task queue: a throwaway SQLite file of this process's own (REDIS_URL, when set, puts it on Redis
# instead). Each pytest-xdist worker gets its own file: they inherit the controller's environment,
# and a shared queue would let one worker's jobs show up in another's tests. A consumer started by a
# test gets the same variable.
_QUEUE_OWNER = "REHAB_TEST_QUEUE_PID"  # the process that made the queue file (unset: the user chose it)
if "HUEY_SQLITE_PATH" not in os.environ or os.environ.get(_QUEUE_OWNER, str(os.getpid())) != str(os.getpid()):
    import atexit
    import shutil
    import tempfile

    _huey_dir = tempfile.mkdtemp(prefix="rehab-huey-")
    atexit.register(shutil.rmtree, _huey_dir, ignore_errors=True)
    os.environ["HUEY_SQLITE_PATH"] = os.path.join(_huey_dir, "huey.sqlite3")
    os.environ[_QUEUE_OWNER] = str(os.getpid())

from rehab.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests log physios in with force_login; the two-factor tests turn this on themselves. (Set here,
# not in os.environ, so that the subprocesses of the deploy-check tests keep production's default.)
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", False)  # noqa: F405
# On Redis the queue is named, not a file: each test process (each pytest-xdist worker) names its
# own, or one worker's flush would empty the queue under another's test.
HUEY = {**HUEY, "name": f"{HUEY['name']}-tests-{os.getpid()}"}  # noqa: F405
# The test database on SQLite is in memory and shared between the live server's threads, where a
# table is locked for a whole transaction: the database cache (production's default) would make
# concurrent browser requests fail their rate-limit count. On SQLite the tests keep the cache in
# memory; on PostgreSQL (CI's second run) they use the database cache as production does, and
# CACHE_URL / REDIS_URL still choose another. tests/test_rate_limits.py covers the database cache.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and not (  # noqa: F405
    os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
elif CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # A Redis is shared by the pytest-xdist workers, whose databases number their rows alike: each
    # keeps its keys apart (user 1's data stamp is not the same patient in two workers).
    CACHES["default"]["KEY_PREFIX"] += f"-tests-{os.getpid()}"  # noqa: F405
