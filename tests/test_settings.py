"""Settings read from environment variables: helpers in-process, whole-module imports in subprocesses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rehab import settings as rehab_settings
from rehab.settings import env_bool, env_database, env_int, env_list, env_timezone

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR = "REHAB_TEST_VARIABLE"

# --- helpers, in-process -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " Yes ", "on"])
def test_env_bool_true_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "OFF", ""])
def test_env_bool_false_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_gives_the_default(monkeypatch, default):
    monkeypatch.delenv(VAR, raising=False)
    assert env_bool(VAR, default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled"])
def test_env_bool_bad_value_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_bool(VAR, False)


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), (" 7 ", 7), ("0", 0), ("", 25)])
def test_env_int_good_values(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 25) == expected


def test_env_int_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_int(VAR, 25) == 25


@pytest.mark.parametrize("raw", ["abc", "4.5", "1e3", "twenty"])
def test_env_int_non_integer_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be a whole number"):
        env_int(VAR, 25)


def test_env_int_below_minimum_names_the_variable(monkeypatch):
    monkeypatch.setenv(VAR, "7")
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be at least 8"):
        env_int(VAR, 10, minimum=8)
    monkeypatch.setenv(VAR, "8")
    assert env_int(VAR, 10, minimum=8) == 8


def test_env_int_negative_refused_by_default(monkeypatch):
    monkeypatch.setenv(VAR, "-1")
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_int(VAR, 25)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a.example,b.example", ["a.example", "b.example"]),
        (" a.example , b.example ,, ", ["a.example", "b.example"]),
        ("single.example", ["single.example"]),
        ("", []),
    ],
)
def test_env_list(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_list(VAR, ["default"]) == expected


def test_env_list_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_list(VAR, ["localhost"]) == ["localhost"]


@pytest.mark.parametrize("raw", ["Europe/Oslo", "UTC", "America/New_York"])
def test_env_timezone_good(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_timezone(VAR, "UTC") == raw


def test_env_timezone_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_timezone(VAR, "Europe/London") == "Europe/London"


@pytest.mark.parametrize("raw", ["Mars/Olympus", "", "../etc/passwd", "Europe/"])
def test_env_timezone_bad_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} is not a known time zone"):
        env_timezone(VAR, "UTC")


def test_env_database_postgres(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db")
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)

    config = env_database(VAR, "sqlite:///unused.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("db", "u", "p")
    assert (config["HOST"], config["PORT"]) == ("h", 5432)
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True  # a kept connection is tested: a restart is survived


@pytest.mark.parametrize("raw", [None, ""])
def test_env_database_default_is_used_when_unset_or_empty(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv(VAR, raising=False)
    else:
        monkeypatch.setenv(VAR, raw)

    config = env_database(VAR, "sqlite:////tmp/rehab-test.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/rehab-test.sqlite3"


def test_env_database_conn_max_age(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    assert env_database(VAR, "sqlite:///x.sqlite3")["CONN_MAX_AGE"] == 0

    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "forever")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE"):
        env_database(VAR, "sqlite:///x.sqlite3")


@pytest.mark.parametrize(
    "raw", ["mysql://u:p@h/db", "oracle://u:p@h/db", "http://example.com", "not a url", "postgres://u:p@h:abc/db"]
)
def test_env_database_bad_url_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_database(VAR, "sqlite:///x.sqlite3")


def test_env_database_error_does_not_echo_the_password(monkeypatch):
    monkeypatch.setenv(VAR, "mysql://user:s3cret-pass@db.example/rehab")
    with pytest.raises(ImproperlyConfigured) as caught:
        env_database(VAR, "sqlite:///x.sqlite3")
    assert "s3cret-pass" not in str(caught.value)


def test_the_test_run_itself_uses_safe_settings():
    """What this very test run was configured with (tests/settings.py on top of rehab.settings)."""
    from django.conf import settings

    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] >= 8
    assert rehab_settings.BASE_DIR == PROJECT_DIR


# --- the whole module, imported in a fresh interpreter -----------------------------------------

# Only these variables reach the child: nothing from the CI (DATABASE_URL, DJANGO_*) leaks in.
PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")

REPORT = """
import json
import rehab.settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "USER": db.get("USER"),
    "HOST": db.get("HOST"),
    "PORT": db.get("PORT"),
    "TIME_ZONE": s.TIME_ZONE,
    "EMAIL_PORT": s.EMAIL_PORT,
    "EMAIL_USE_TLS": s.EMAIL_USE_TLS,
    "ALLOW_SIGNUP": s.ALLOW_SIGNUP,
    "SESSION_COOKIE_AGE": s.SESSION_COOKIE_AGE,
    "PASSWORD_MIN_LENGTH": s.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"],
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_PRELOAD": s.SECURE_HSTS_PRELOAD,
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "AXES_COOLOFF_SECONDS": s.AXES_COOLOFF_TIME.total_seconds(),
    "PROXY_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""

KEY = {"DJANGO_SECRET_KEY": "subprocess-test-key-0123456789abcdefghijklmnopqrstuvwxyz"}


def import_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", REPORT],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**variables: str) -> dict:
    result = import_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_refused(variable: str, **variables: str) -> str:
    result = import_settings(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]
    return result.stderr


def test_defaults_are_production_safe():
    values = settings_with(**KEY)

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert values["CSRF_TRUSTED_ORIGINS"] == []
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(PROJECT_DIR / "db.sqlite3")
    assert values["TIME_ZONE"] == "UTC"
    assert values["EMAIL_PORT"] == 25
    assert values["ALLOW_SIGNUP"] is True
    assert values["PASSWORD_MIN_LENGTH"] == 10
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_SECONDS"] == 15 * 60
    assert values["PROXY_HEADER"] is None
    assert values["STATICFILES_BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_bad_debug_value_stops_start_up():
    assert_refused("DJANGO_DEBUG", DJANGO_DEBUG="maybe", **KEY)


def test_secret_key_is_required_when_debug_is_off():
    stderr = assert_refused("DJANGO_SECRET_KEY")
    assert "DJANGO_DEBUG" in stderr


def test_secret_key_is_required_even_when_debug_is_explicitly_off():
    assert_refused("DJANGO_SECRET_KEY", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")


def test_debug_without_a_key_works_with_a_development_key():
    values = settings_with(DJANGO_DEBUG="1")

    assert values["DEBUG"] is True
    assert values["SECRET_KEY"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["STATICFILES_BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_the_given_secret_key_is_used():
    assert settings_with(**KEY)["SECRET_KEY"] == KEY["DJANGO_SECRET_KEY"]


def test_database_url_postgres():
    values = settings_with(DATABASE_URL="postgres://u:p@h:5432/db", **KEY)

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "db"
    assert (values["USER"], values["HOST"], values["PORT"]) == ("u", "h", 5432)


def test_database_url_of_another_engine_is_refused():
    assert_refused("DATABASE_URL", DATABASE_URL="mysql://u:p@h:3306/db", **KEY)


def test_unknown_time_zone_is_refused():
    assert_refused("TIME_ZONE", TIME_ZONE="Mars/Olympus", **KEY)


def test_time_zone_is_read():
    assert settings_with(TIME_ZONE="Europe/Oslo", **KEY)["TIME_ZONE"] == "Europe/Oslo"


def test_allowed_hosts_and_trusted_origins_are_lists():
    values = settings_with(
        DJANGO_ALLOWED_HOSTS="a.example,b.example",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://a.example, https://b.example",
        **KEY,
    )

    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://a.example", "https://b.example"]


def test_bad_email_port_is_refused():
    assert_refused("EMAIL_PORT", EMAIL_PORT="abc", **KEY)


def test_email_settings_are_read():
    values = settings_with(EMAIL_PORT="587", EMAIL_USE_TLS="yes", **KEY)

    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_USE_TLS"] is True


def test_allow_signup_can_be_turned_off():
    assert settings_with(ALLOW_SIGNUP="0", **KEY)["ALLOW_SIGNUP"] is False


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALLOW_SIGNUP", "perhaps"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("PASSWORD_MIN_LENGTH", "6"),
        ("PASSWORD_MIN_LENGTH", "ten"),
        ("SESSION_COOKIE_AGE", "60"),
        ("DJANGO_HSTS_SECONDS", "-5"),
        ("DJANGO_SECURE_SSL_REDIRECT", "2"),
        ("DJANGO_SECURE_COOKIES", "secure"),
        ("DJANGO_BEHIND_HTTPS_PROXY", "nginx"),
        ("DATABASE_CONN_MAX_AGE", "1.5"),
    ],
)
def test_every_bad_value_is_refused_naming_its_variable(variable, value):
    assert_refused(variable, **{variable: value}, **KEY)


def test_numeric_and_proxy_settings_are_read():
    values = settings_with(
        PASSWORD_MIN_LENGTH="12",
        SESSION_COOKIE_AGE="3600",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_BEHIND_HTTPS_PROXY="1",
        **KEY,
    )

    assert values["PASSWORD_MIN_LENGTH"] == 12
    assert values["SESSION_COOKIE_AGE"] == 3600
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["PROXY_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def run_manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", [["check"], ["makemigrations", "--check", "--dry-run"], ["migrate"]])
def test_manage_py_reports_a_configuration_error_in_one_line(command):
    result = run_manage(*command)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        result.stderr.strip()
    ], "expected a single line, not a traceback"
    assert result.stderr.startswith("Configuration error: DJANGO_SECRET_KEY must be set")
    assert "Traceback" not in result.stderr


def test_manage_py_names_a_bad_variable():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_py_runs_with_a_valid_configuration():
    result = run_manage("check", **KEY)
    assert result.returncode == 0, result.stderr


def test_login_lockout_is_configurable():
    values = settings_with(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60", **KEY)

    assert values["AXES_FAILURE_LIMIT"] == 3
    assert values["AXES_COOLOFF_SECONDS"] == 60 * 60


@pytest.mark.parametrize("variable", ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES"])
def test_lockout_settings_must_be_positive(variable):
    assert_refused(variable, **{variable: "0"}, **KEY)


def test_hsts_preload_can_be_turned_off():
    assert settings_with(DJANGO_HSTS_PRELOAD="0", **KEY)["SECURE_HSTS_PRELOAD"] is False
