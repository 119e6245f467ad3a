"""Regie's one settings module: every value that differs between machines comes from the environment.

Development, tests, CI and production run these same lines; nothing here is read by other modules
at import time.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("REGIE_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("REGIE_DEBUG", False)
# Demo mode lets the demo accounts log in with their published password; off in production.
DEMO_MODE = env_bool("REGIE_DEMO", False)
SECRET_KEY = os.environ.get("REGIE_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE or env_bool("REGIE_TESTING", False)):
        raise RuntimeError(
            "REGIE_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [h for h in os.environ.get("REGIE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("REGIE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    # Second factor (TOTP and one-time recovery codes) and lockout after failed logins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "regie.core",
    "regie.audit",
    "regie.accounts",
    "regie.housing",
    "regie.cases",
    "regie.signalling",
    "regie.network",
    "regie.plans",
    "regie.mandate",
    "regie.meetings",
    "regie.learning",
    "regie.results",
    "regie.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "regie.core.middleware.SecurityHeadersMiddleware",
    "regie.audit.middleware.AccessContextMiddleware",
    # -- security middleware slots (issue 7): sessions, second factor, lockout --
]

ROOT_URLCONF = "regie.urls"
WSGI_APPLICATION = "regie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regie.core.context_processors.navigation",
            ],
        },
    }
]

# Widgets drawn in Python, byte for byte as Django's templates draw them (core/form_renderer.py).
FORM_RENDERER = "regie.core.form_renderer.FastRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'regie.sqlite3'}"),
        conn_max_age=int(os.environ.get("REGIE_DB_CONN_MAX_AGE", "60")),
    )
}
# Every request is one transaction: the access log entry and the read or write it records
# commit together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Server-side binding lets psycopg prepare the queries a page repeats on every request, so
# PostgreSQL plans them once per connection instead of every time (planning cost more than
# running the caseload query: bench/). REGIE_DB_PREPARE=0 turns it off (e.g. behind PgBouncer).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("REGIE_DB_PREPARE", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            # The worker writes beside the server: taking the write lock at BEGIN makes a second
            # writer wait (up to the timeout) instead of failing at once when it upgrades its lock.
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "regie.accounts.backends.RegieModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("REGIE_TESTING", False):
    # Tests create many users; a fast hasher keeps the suite quick. Never in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("REGIE_SECURE_COOKIES", not (DEBUG or DEMO_MODE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

# Uploaded documents (signed consent forms): served only through views that check the case.
MEDIA_ROOT = Path(os.environ.get("REGIE_MEDIA_ROOT", DATA_DIR / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("REGIE_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail (the daily digest, referral reminders): SMTP in production, the console in development.
EMAIL_BACKEND = os.environ.get(
    "REGIE_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("REGIE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("REGIE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("REGIE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("REGIE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("REGIE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("REGIE_EMAIL_FROM", "Regie <regie@localhost>")
# Links in e-mails and calendar feeds point here (no request to take the host from).
REGIE_BASE_URL = os.environ.get("REGIE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Aftercare checks after a case closes, in months.
REGIE_AFTERCARE_MONTHS = tuple(int(m) for m in os.environ.get("REGIE_AFTERCARE_MONTHS", "3,12").split(",") if m.strip())

# Who at the corporation the municipality contacts about an arrears signal (vroegsignalering):
# printed on every exported signal record, e.g. "Team Incasso, 020-1234567, incasso@example.nl".
REGIE_CORPORATION_CONTACT = os.environ.get("REGIE_CORPORATION_CONTACT", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a bad token answers 401 rather than the session's 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "regie.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regie API",
    "DESCRIPTION": "Households, cases and the signal inbox, under the same need-to-know rules as the web app.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Never let the docs page call swagger.io's validator: the app works offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {"ObstacleStatusEnum": "regie.learning.models.OBSTACLE_STATUSES"},
}

# Application logs never carry personal data: we log ids and outcomes, never names or free text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("REGIE_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request logger would print URLs and, on errors, request bodies; keep warnings only.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Caseload and lists
REGIE_PAGE_SIZE = 25
