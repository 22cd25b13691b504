"""Settings for Backend Path: one file, read from the environment.

Development defaults are safe to run on a laptop; production (DJANGO_DEBUG=0) refuses
to start without the values it needs, with a one-line message.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def git_commit() -> str:
    """The checked-out commit, or "" where there is no git (a container image)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


DEBUG = env_bool("DJANGO_DEBUG", True)
# The build's name: cached pages are keyed by it, so new code never serves an old page.
# Set DJANGO_RELEASE where the checkout has no git (the Dockerfile takes it as a build arg).
RELEASE = os.environ.get("DJANGO_RELEASE", "").strip() or git_commit() or "unreleased"
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 (use a long random string)."
        )
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use 50 or more random characters."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the form renderer below.
    "django.forms",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "axes",
    "catalog",
    "paths",
    "accounts",
]

MIDDLEWARE = [
    # The header middleware come first, so every response gets the headers: static files, and
    # the answers of the middleware below that stop a request early.
    "django.middleware.security.SecurityMiddleware",
    "advisor.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "advisor.middleware.ContentSecurityPolicyMiddleware",
    # Health probes send an IP as the Host: answered here, before anything validates it.
    "advisor.middleware.HealthProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored page the view answered the same request with, again (catalog/page_cache.py).
    "advisor.middleware.StoredPageMiddleware",
    # The plain-HTTP trial: cookies of plain-HTTP requests without Secure (not used otherwise).
    "advisor.middleware.PlainHttpCookiesMiddleware",
    # Reads a posted form before the CSRF check does, so a limit gets a clear page, not a bare 400.
    "advisor.middleware.RequestLimitsMiddleware",
    # A NUL sent to the admin or the API is a 400 (PostgreSQL refuses NUL: it was a 500).
    "advisor.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "advisor.middleware.DatabaseUnavailableMiddleware",
    # Last, as axes asks: a refused log-in answers 429 (accounts.throttle.locked_out_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"
ASGI_APPLICATION = "advisor.asgi.application"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Partials through "builtins" so Django 6's built-in partials only delete config.
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [("django.template.loaders.cached.Loader", _loaders)],
                )
            ],
        },
    }
]
# Flash messages ride in a signed cookie (Django's default tries the cookie, then the session):
# ours are one short sentence, and a request without one then reads nothing else.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
# Forms render through the project's template engine, so our widget templates live in
# templates/ beside the pages.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request's first query, so a database
        # restart costs no failed request (on PostgreSQL from its socket, with a `SELECT 1`
        # only when something arrived on it); DJANGO_CONN_HEALTH_CHECKS=0 turns the check off
        # and lets the first request per worker after a restart answer 503.
        conn_health_checks=os.environ.get("DJANGO_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the per-request health check answered from the socket when it can
    # be (advisor/postgresql/base.py): no `SELECT 1` round trip on a healthy connection.
    DATABASES["default"]["ENGINE"] = "advisor.postgresql"
    # Server-side parameter binding and prepared statements: psycopg prepares a statement once
    # it has run five times on a connection, so the queries every page repeats skip parsing and
    # planning. Django leaves preparing off unless asked (`prepare_threshold`), for poolers:
    # not for PgBouncer in transaction mode, where DJANGO_DB_SERVER_SIDE_BINDING=0 turns both off.
    if os.environ.get("DJANGO_DB_SERVER_SIDE_BINDING", "1") == "1":
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A local file cannot go away under a kept connection: no health check per request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis holds only copies, so while it is unreachable the app serves without it
    # (advisor/cache_backend.py): pages are rendered afresh, nothing answers 500.
    CACHES = {
        "default": {
            "BACKEND": "advisor.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "backendpath"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Django's database sessions, their read compiled once (accounts/sessions.py says why not
# cached_db).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365  # a learner's path should outlive a browser restart

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The log-in throttle (django-axes, tuned in accounts/throttle.py): failures are counted in the
# database per account and client (5) and per client (20) for 15 minutes, so all app servers
# share them and Redis may be down. The client is the address the proxy reports in
# X-Forwarded-For, believed only from the proxies of FORWARDED_ALLOW_IPS (the variable and
# default gunicorn reads in bin/serve): addresses or networks, or "*" for any sender.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
for _proxy in set(FORWARDED_ALLOW_IPS) - {"*"}:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"FORWARDED_ALLOW_IPS: {_proxy!r} is not an IP address or network (e.g. 10.0.0.0/8), "
            "nor '*'; separate several with commas."
        ) from None
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 20  # per client; per account and client: accounts.throttle
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # "wait 15 minutes" holds while refused
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.locked_out_response"
AXES_DISABLE_ACCESS_LOG = True  # the throttle needs failures only; no log of every log-in

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Overridable so that a throwaway server (tests, `make soak`) collects into its own folder.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING and not env_bool("DJANGO_MANIFEST_STATIC", False)
            else "advisor.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
# Served at the site's root: /favicon.ico, which browsers ask for on pages that name no icon
# (the admin, Markdown and JSON responses); a 404 there is a console error.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Request size limits: a questionnaire answer or a plan request is a few kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# Security headers. Cookies are secure and HSTS is on whenever DEBUG is off (both over HTTPS only).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers), never the cookie
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Secure cookies; the plain-HTTP trial (redirect off) drops the flag on plain-HTTP requests
    # only (advisor.middleware.PlainHttpCookiesMiddleware). HSTS goes over HTTPS only.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Our styled 403 that says what to do; under htmx, static/js/site.js shows it in the page.
CSRF_FAILURE_VIEW = "advisor.views.csrf_failure"

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# A strict policy: every script and style is a file of our own; no nonce is needed, which
# keeps rendered pages identical between requests (so they can be cached).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# A less guessable admin address cuts the noise of password-guessing bots (one or more
# segments of letters, digits, ".", "_", "~" or "-"; blank means the default).
ADMIN_URL = (os.environ.get("DJANGO_ADMIN_URL", "").strip().strip("/") or "admin") + "/"
if not re.fullmatch(r"((?!\.+/)[A-Za-z0-9._~-]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_URL must be a path such as 'staff-7f3a/': letters, digits, '.', '_', "
        "'~' and '-' in segments separated by '/'."
    )

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/paths/"
LOGOUT_REDIRECT_URL = "/"


def email_settings(url: str) -> dict[str, object]:
    """The EMAIL_* settings for an EMAIL_URL: `smtp://user:password@host:port/` (add `?tls=1`
    for STARTTLS, port 587, or `?ssl=1`), `smtps://…` (TLS from the start, port 465),
    `console:` (printed to the log) or `dummy:`; `?timeout=` seconds (10, at most 300). User
    and password are percent-encoded. Parsed here, not by a library: a dozen lines, and no
    dependency."""
    parts = urlsplit(url)
    if parts.scheme in {"console", "dummy"}:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    query = dict(parse_qsl(parts.query))
    yes = {"1", "true", "yes", "on"}
    try:
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError
        ssl = parts.scheme == "smtps" or query.get("ssl", "").lower() in yes
        tls = not ssl and query.get("tls", "").lower() in yes
        timeout = float(query.get("timeout", "10"))
        if not 0 < timeout <= 300:  # also refuses nan
            raise ValueError
        return {
            "EMAIL_BACKEND": "advisor.mail.SMTPBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if ssl else 587 if tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": ssl,
            "EMAIL_USE_TLS": tls,
            # A mail server that hangs must not hold a worker until gunicorn kills it (30 s).
            "EMAIL_TIMEOUT": timeout,
        }
    except ValueError:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@mail.example:587/?tls=1, "
            "smtps://user:password@mail.example, or console:"
        ) from None


# Development prints mail on the console; production without EMAIL_URL sends nothing and logs
# a line per mail (advisor/mail.py): a reset link in a log would let its readers in.
_email_url = os.environ.get("EMAIL_URL", "").strip()
globals().update(
    email_settings(_email_url)
    if _email_url
    else {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "advisor.mail.UnconfiguredBackend"
    }
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Backend Path <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if TESTING:
    # Hashing strength is not under test; a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
