"""Settings for Calf Rehab Tracker, read from environment variables.

Every variable is documented in the README's configuration table. Defaults are safe:
DEBUG off, SQLite in the project folder, console email. A bad value stops start-up with
a message naming the variable.
"""

import datetime
import importlib.util
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_timezone(name: str, default: str) -> str:
    import zoneinfo

    value = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} is not a known time zone: {value!r}") from None
    return value


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        # CONN_HEALTH_CHECKS: a kept connection is tested before each request reuses it, so that
        # after a database restart the first request reconnects instead of failing.
        config = dj_database_url.parse(
            raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config["ENGINE"] not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        scheme = raw.split(":", 1)[0]
        raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL; got the scheme {scheme!r}")
    return config


CACHE_TABLE = "rehab_cache"


def env_cache() -> dict:
    """The default cache from CACHE_URL, else REDIS_URL, else the database (shared by all workers)."""
    name = "CACHE_URL" if os.environ.get("CACHE_URL") else "REDIS_URL"
    raw = os.environ.get(name, "").strip() or f"db://{CACHE_TABLE}"
    scheme, _, rest = raw.partition("://")
    if scheme in {"redis", "rediss", "unix"}:
        return {
            # Django's RedisCache, but a Redis outage is a cache miss, not a 500 (rehab/cache.py).
            "BACKEND": "rehab.cache.FailOpenRedisCache",
            "LOCATION": raw,
            "KEY_PREFIX": "rehab-cache",  # the Redis server may hold other keys (e.g. a task queue's)
            # Seconds: a Redis that hangs costs a request at most this long, then counts as down.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 50_000},  # culled beyond this; each user has a few keys
        }
    if scheme == "locmem":  # one process only: limits are then per worker
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    raise ImproperlyConfigured(
        f"{name} must start with redis://, rediss://, unix://, db:// or locmem://; got {raw.split(':')[0]!r}"
    )


def media_storage(url: str) -> dict:
    """STORAGES["default"]: local files, or s3://bucket/prefix?endpoint=...&region=... (credentials
    from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role, never in the URL)."""
    from urllib.parse import parse_qs, urlsplit

    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL must look like s3://bucket/prefix; got {url!r}")
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"endpoint", "region", "addressing_style"})
    if unknown:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL has unknown options: {', '.join(unknown)}")
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    if "endpoint" in query:
        options["endpoint_url"] = query["endpoint"]
    if "region" in query:
        options["region_name"] = query["region"]
    if "addressing_style" in query:
        options["addressing_style"] = query["addressing_style"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def env_url(name: str, default: str) -> str:
    value = (os.environ.get(name) or default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{name} must start with http:// or https://; got {value!r}")
    return value


def env_huey(database: dict) -> dict:
    """The task queue (huey): Redis when REDIS_URL is set, else a SQLite file beside the database
    (HUEY_SQLITE_PATH to put it elsewhere). Tasks wait for a consumer (`manage.py run_huey`)."""
    common = {
        "name": os.environ.get("HUEY_NAME", "").strip() or "calf-rehab",  # sites sharing one Redis differ
        "results": False,  # nothing reads a task's return value
        "immediate": env_bool("HUEY_IMMEDIATE", False),  # True: run tasks in the caller (debugging only)
        "consumer": {"workers": env_int("HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if redis_url:
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(
                f"REDIS_URL must start with redis://, rediss:// or unix://; got {redis_url!r}"
            )
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url}
    path = os.environ.get("HUEY_SQLITE_PATH", "").strip()
    if not path:
        beside = database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) not in ("", ":memory:")
        path = str(Path(database["NAME"]).parent / "huey.sqlite3" if beside else BASE_DIR / "huey.sqlite3")
    return {**common, "huey_class": "huey.SqliteHuey", "filename": path}


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c \"import secrets; print(secrets.token_urlsafe(50))\""
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Two-factor sign-in; before tracker, whose admin takes their device admins off the site.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tracker",
    "tracker.apps.ClinicAdminConfig",  # django.contrib.admin with the triage home (tracker.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.middleware.UploadHandlersMiddleware",  # before CSRF, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.middleware.SecondFactorMiddleware",
    "tracker.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rehab.urls"
WSGI_APPLICATION = "rehab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let concurrent writers wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # No JIT compilation: the caseload's query (a subquery per column) is planned as costly enough
    # for it, and compiling took 2.2 s of its 2.4 s at 10,000 patients (executing: 0.2 s).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a login while its username + IP address pair is locked out; ModelBackend then authenticates
    # (ours reads the patient profile with the user: one query less on every page).
    "axes.backends.AxesStandaloneBackend",
    "tracker.auth_backends.ModelBackendWithProfile",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (django-otp: an authenticator app and recovery codes): required for staff and
# superusers when REQUIRE_STAFF_2FA is on (by default in production; off with DJANGO_DEBUG, so that
# `make run`'s demo physio logs in with a password); optional for patients, on their profile.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Calf Rehab Tracker"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14, minimum=300)
ALLOW_SIGNUP = env_bool("ALLOW_SIGNUP", True)

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["rehab.formats"]  # the 24-hour clock (rehab/formats/en_GB/formats.py)
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap's dist files come from the bootstrap-wrapper wheel, served under static/bootstrap/.
_bootstrap_spec = importlib.util.find_spec("bootstrap")
if _bootstrap_spec is None or not _bootstrap_spec.submodule_search_locations:
    raise ImproperlyConfigured(
        "The bootstrap-wrapper package is not installed (pip install -r requirements.txt)"
    )
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", list(_bootstrap_spec.submodule_search_locations)[0]),
]
# Uploaded photos and videos (README "Exercise photos and videos"). Never served from MEDIA_URL:
# only through the access-checked view. An S3-compatible bucket when MEDIA_STORAGE_URL is set.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media-is-not-public/"
MEDIA_IMAGE_MAX_MB = env_int("MEDIA_IMAGE_MAX_MB", 5, minimum=1)
MEDIA_VIDEO_MAX_MB = env_int("MEDIA_VIDEO_MAX_MB", 50, minimum=1)
MEDIA_IMAGE_MAX_SIDE = env_int("MEDIA_IMAGE_MAX_SIDE", 1600, minimum=200)
STORAGES = {
    "default": media_storage(os.environ.get("MEDIA_STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Calf Rehab Tracker <noreply@localhost>")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)  # seconds: a hanging SMTP server fails and is retried

# Reminders and alerts (README "Reminders and alerts"): the task queue, links in e-mails, retries.
HUEY = env_huey(DATABASES["default"])
SITE_URL = env_url("SITE_URL", "http://localhost:8000")  # the address in e-mail links
REMINDER_PASS_MINUTES = env_int("REMINDER_PASS_MINUTES", 5, minimum=1)  # the scheduler runs this often
if REMINDER_PASS_MINUTES > 59:
    raise ImproperlyConfigured(f"REMINDER_PASS_MINUTES must be 1 to 59; got {REMINDER_PASS_MINUTES}")
EMAIL_RETRY_ATTEMPTS = env_int("EMAIL_RETRY_ATTEMPTS", 8, minimum=1)  # tries before giving up
EMAIL_RETRY_DELAY_SECONDS = env_int("EMAIL_RETRY_DELAY_SECONDS", 60, minimum=1)  # doubled after each failure

# Behind a TLS-terminating proxy (see README, Deploying).
BEHIND_HTTPS_PROXY = env_bool("DJANGO_BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# One year, the minimum the browsers' HSTS preload list accepts; lower it while first rolling out HTTPS.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login brute-force protection (django-axes): a username tried from one IP address is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES. Locking the pair, not the address alone,
# keeps one attacker from locking out a whole clinic behind a shared NAT address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "tracker.security.client_ip"
AXES_USERNAME_CALLABLE = "tracker.security.login_username"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): only this site's own files; no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Rate limits, requests a minute per user (the API's "api": per token or browser session), counted
# in the shared cache below so that they hold across all workers. Over the limit: 429 + Retry-After.
RATE_LIMITS = {
    "api": f"{env_int('API_RATE_PER_MINUTE', 120, minimum=1)}/min",
    "api_user": f"{env_int('API_USER_RATE_PER_MINUTE', 240, minimum=1)}/min",
    "charts": f"{env_int('CHART_RATE_PER_MINUTE', 120, minimum=1)}/min",  # the dashboard shows 6
    "downloads": f"{env_int('DOWNLOAD_RATE_PER_MINUTE', 20, minimum=1)}/min",  # PDF, CSV, data zip
    "imports": f"{env_int('IMPORT_RATE_PER_MINUTE', 10, minimum=1)}/min",  # CSV import previews
}

# The cache holds the rate-limit counts, so every worker must share it: CACHE_URL (redis://...,
# db://<table>, locmem://), else REDIS_URL (the Redis server; keys prefixed "rehab-cache"), else the
# database cache, table rehab_cache (created by `migrate`).
CACHES = {"default": env_cache()}
# Rendered charts are kept there (tracker/charts/cache.py), keyed by the patient's data stamp, which
# changes with every write and every day: a day is the longest a cached chart can be of use. 0: off.
CHART_CACHE_SECONDS = env_int("CHART_CACHE_SECONDS", 24 * 3600, minimum=0)

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.AutoSchema",
    # Token first: a request with a Bearer token is never treated as a (CSRF-checked) session request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["tracker.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    # Per API token (or browser session), and per user for all her tokens and sessions together.
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.CredentialRateThrottle",
        "tracker.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": RATE_LIMITS,
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Calf Rehab Tracker API",
    "DESCRIPTION": (
        "Log calf girth, heel-rise tests, exercise sessions and symptoms, and read progress. "
        "Authenticate with a personal token from your profile page: `Authorization: Bearer <token>`. "
        "Girth is in centimetres. Lists are paginated (`?page=`, `?page_size=` up to 100), filtered by "
        "`?date_from=YYYY-MM-DD&date_to=YYYY-MM-DD` and ordered with `?ordering=date` or `-date`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LegEnum": "tracker.api.serializers.SIDES",
        "ExerciseSideEnum": "tracker.models.Side",
        "GirthSiteEnum": "tracker.models.GirthMeasurement.Site",
        "LegChangeSideEnum": "tracker.api.serializers.LEG_CHANGE_SIDES",
    },
    # The default hook, then one that writes nullable objects so that OpenAPI 3.0 validators accept null.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.nullable_references",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Request bodies: at most 3 MB of form data or JSON (a larger body is answered 413); uploaded files
# are dropped everywhere but in the CSV import (one file of up to 2 MB, in memory) and the admin's
# photo and video upload (up to MEDIA_VIDEO_MAX_MB, in a temporary file): tracker/uploads.py. The
# reverse proxy should refuse larger bodies itself (docs/security.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["tracker.uploads.DiscardUploadHandler"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The queue consumer's own lines ("Executing ...") once, not twice.
    "loggers": {"huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
