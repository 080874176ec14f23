"""Test settings: production settings with the few changes a test run needs."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_TESTING", "1")
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_SECURE_COOKIES"] = "0"

from rehab.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests log physios in with force_login; the two-factor tests turn this on themselves. (Set here,
# not in os.environ, so that the subprocesses of the deploy-check tests keep production's default.)
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", False)  # noqa: F405
