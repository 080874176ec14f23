"""Hardened defaults: `check --deploy`, security headers, cookies, login lockout, no inline code."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, PatientFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOGIN_URL = reverse("login")

# --- manage.py check --deploy ---------------------------------------------------------------------


def production_env(tmp_path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "AXES_", "SESSION_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rehab.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="rehab.example.org",
        DJANGO_BEHIND_HTTPS_PROXY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        MPLCONFIGDIR=str(tmp_path),
    )
    return env


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=PROJECT_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_does_complain_about_an_unsafe_setup(tmp_path):
    """The check above can fail: a short secret and plain-HTTP cookies are reported."""
    env = production_env(tmp_path)
    env.update(DJANGO_SECRET_KEY="short", DJANGO_SECURE_COOKIES="0", DJANGO_SECURE_SSL_REDIRECT="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    for code in ("security.W009", "security.W012", "security.W016", "security.W008"):
        assert code in output


# --- response headers and cookies -----------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_pages_send_the_security_headers(client, logged_in):
    if logged_in:
        client.force_login(PatientFactory())
    response = client.get(reverse("dashboard") if logged_in else LOGIN_URL)

    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_https_responses_ask_for_hsts(client):
    response = client.get(LOGIN_URL, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only(client):
    PatientFactory(username="anna")
    login_page = client.get(LOGIN_URL)
    assert login_page.cookies["csrftoken"]["httponly"] is True

    response = client.post(LOGIN_URL, {"username": "anna", "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure(tmp_path):
    """rehab.settings turns secure cookies on whenever DEBUG is off (tests switch it off by env)."""
    names = "SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SESSION_COOKIE_HTTPONLY SECURE_SSL_REDIRECT".split()
    code = f"from django.conf import settings; print(*(getattr(settings, n) for n in {names!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


# --- login brute-force protection (django-axes) ---------------------------------------------------


def attempt(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def anna_locked_out(db, client, settings):
    PatientFactory(username="anna")
    for number in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(client, "anna", f"wrong-{number}")
        expected = 429 if number == settings.AXES_FAILURE_LIMIT else 200
        assert response.status_code == expected, number
    return client


def test_the_sixth_attempt_is_locked_out_even_with_the_right_password(anna_locked_out, settings):
    response = attempt(anna_locked_out, "anna", PASSWORD)

    assert response.status_code == 429
    assert not logged_in(anna_locked_out)
    text = response.text
    assert text.count("<h1") == 1
    assert "Too many failed log-ins" in text
    assert f"failed {settings.AXES_FAILURE_LIMIT} times in a row" in text
    assert "<strong>anna</strong>" in text
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Please try again in {minutes} minutes." in text
    assert f'href="{reverse("password_reset")}"' in text


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, settings):
    PatientFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "anna", "wrong")
    assert attempt(client, "anna", PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_username_from_the_same_address_still_logs_in(anna_locked_out):
    PatientFactory(username="olga")
    response = attempt(anna_locked_out, "olga", PASSWORD, ip="10.0.0.1")
    assert response.status_code == 302
    assert logged_in(anna_locked_out)


def test_the_same_username_from_another_address_still_logs_in(anna_locked_out, client):
    response = attempt(client, "anna", PASSWORD, ip="10.0.0.99")
    assert response.status_code == 302
    assert logged_in(client)


def test_after_the_cool_off_she_can_log_in_again(anna_locked_out, settings, monkeypatch):
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: later)

    response = attempt(anna_locked_out, "anna", PASSWORD)

    assert response.status_code == 302
    assert logged_in(anna_locked_out)
    assert not AccessAttempt.objects.filter(username="anna", failures_since_start__gt=0).exists()


def test_just_before_the_cool_off_ends_she_is_still_locked_out(anna_locked_out, settings, monkeypatch):
    earlier = timezone.now() + settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=30)
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: earlier)
    assert attempt(anna_locked_out, "anna", PASSWORD).status_code == 429


# --- no inline script or style in any template ----------------------------------------------------

TEMPLATES = sorted((PROJECT_DIR / "templates").rglob("*.html"))
DJANGO_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_DIR / "templates")))
def test_no_template_has_inline_script_or_style(template):
    source = DJANGO_COMMENTS.sub("", template.read_text())
    assert not INLINE_SCRIPT.search(source), "inline <script> (move it to static/tracker/*.js)"
    assert not STYLE_ELEMENT.search(source), "<style> element (move it to static/tracker/*.css)"
    assert not STYLE_ATTRIBUTE.search(source), 'style="" attribute (use a class in a static .css file)'
    assert not EVENT_HANDLER.search(source), "onclick=/on...= handler (attach it from a static .js file)"


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<script type="module">x()</script>', INLINE_SCRIPT),
        ("<style>p{}</style>", STYLE_ELEMENT),
        ('<svg><rect style="fill:red"/></svg>', STYLE_ATTRIBUTE),
        ('<div\n  class="x"\n  style="color: red">', STYLE_ATTRIBUTE),
        ('<button onclick="go()">', EVENT_HANDLER),
    ],
)
def test_the_template_checks_catch_inline_code(snippet, pattern):
    assert pattern.search(snippet)
    assert not INLINE_SCRIPT.search('<script src="/static/tracker/app.js"></script>')
