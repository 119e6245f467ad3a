"""Regie's one settings module: every value that differs between machines comes from the environment.

Development, tests, CI and production run these same lines; nothing here is read by other modules
at import time.
"""

import os
from datetime import timedelta
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
    # Inside the headers middleware (its 413 gets them too), before CSRF reads the body.
    "regie.core.middleware.RequestSizeLimitMiddleware",
    "regie.audit.middleware.AccessContextMiddleware",
    # -- security middleware slots (issue 7): sessions, second factor, lockout --
    # Idle and absolute session limits; must run before the second-factor check.
    "regie.accounts.middleware_sessions.SessionPolicyMiddleware",
    # Turns a lockout (too many failed logins) into the lockout page, status 429.
    "axes.middleware.AxesMiddleware",
    # Until the second factor passes, a logged-in session reaches only the second step.
    "regie.accounts.middleware_mfa.SecondFactorMiddleware",
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
    # First: refuses a locked-out user name + address before any password is checked.
    "regie.accounts.backends.RegieAxesBackend",
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
    # Refuses passwords known from data breaches (Have I Been Pwned, k-anonymity; fails open).
    {"NAME": "regie.accounts.passwords.PwnedPasswordValidator", "OPTIONS": {"timeout": 3.0}},
]
# On by default in production; off in the demo and the tests (no calls to the internet) unless set.
REGIE_PWNED_PASSWORDS = env_bool("REGIE_PWNED_PASSWORDS", not (DEBUG or DEMO_MODE or env_bool("REGIE_TESTING", False)))

# Second factor (django-otp): the name authenticator apps show next to the code.
OTP_TOTP_ISSUER = os.environ.get("REGIE_TOTP_ISSUER", "Regie")

# Lockout after failed logins (django-axes; docs/accounts-security.md). Wrong passwords and wrong
# second-factor codes both count. Locked per user name *and* address together: by name alone
# anyone could lock a colleague out, by address alone a whole office behind one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("REGIE_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False  # reset only after the second factor too (accounts/lockout.py)
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "regie.accounts.lockout.lockout_response"
# Axes masks these in its logs and stored request data (it never stores the password itself).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Behind N reverse proxies that set X-Forwarded-For, count the client's address, not the proxy's.
if os.environ.get("REGIE_TRUSTED_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["REGIE_TRUSTED_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on through OpenID Connect (e.g. Microsoft Entra ID), off by default; see
# docs/sessions-and-sso.md. Only existing, active accounts sign in this way; nothing is created.
REGIE_OIDC_ENABLED = env_bool("REGIE_OIDC_ENABLED", False)
REGIE_OIDC_PROVIDER_NAME = os.environ.get("REGIE_OIDC_PROVIDER_NAME", "Microsoft")
REGIE_OIDC_ISSUER = os.environ.get("REGIE_OIDC_ISSUER", "")
# "email" matches the account's e-mail address; any other claim (preferred_username) its user name.
REGIE_OIDC_MATCH_CLAIM = os.environ.get("REGIE_OIDC_MATCH_CLAIM", "email")
# Skip Regie's own second factor after single sign-on even when the ID token's `amr` doesn't
# show MFA: only when the provider enforces MFA for Regie (e.g. Conditional Access).
REGIE_OIDC_TRUSTS_MFA = env_bool("REGIE_OIDC_TRUSTS_MFA", False)
OIDC_RP_CLIENT_ID = os.environ.get("REGIE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("REGIE_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("REGIE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("REGIE_OIDC_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("REGIE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("REGIE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("REGIE_OIDC_USERINFO_ENDPOINT", "")  # optional
OIDC_OP_JWKS_ENDPOINT = os.environ.get("REGIE_OIDC_JWKS_ENDPOINT", "") or None
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "login"
if REGIE_OIDC_ENABLED:
    _missing = [
        name
        for name, value in {
            "REGIE_OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
            "REGIE_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "REGIE_OIDC_ISSUER": REGIE_OIDC_ISSUER,
            "REGIE_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "REGIE_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "REGIE_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if _missing:
        raise RuntimeError(f"REGIE_OIDC_ENABLED is set but these are not: {', '.join(_missing)}.")
    AUTHENTICATION_BACKENDS.append("regie.accounts.oidc.RegieOIDCBackend")

# A session ends after this long without a request, and after this long in all
# (accounts/middleware_sessions.py); the cookie lasts no longer than the absolute limit.
REGIE_SESSION_IDLE_MINUTES = int(os.environ.get("REGIE_SESSION_IDLE_MINUTES", "30"))
REGIE_SESSION_MAX_HOURS = int(os.environ.get("REGIE_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = REGIE_SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("REGIE_SECURE_COOKIES", not (DEBUG or DEMO_MODE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Transport security (issue 7, docs/security.md). "Production" is anything that is not debug, demo
# or the test suite: there HTTPS is the default and `check --deploy` passes without extra settings.
_PRODUCTION = not (DEBUG or DEMO_MODE or env_bool("REGIE_TESTING", False))
# HSTS: one year by default outside debug/demo (Django sends it only on HTTPS responses, so the
# tests see it on secure requests only). Preload is opt-in: it is hard to undo.
SECURE_HSTS_SECONDS = int(os.environ.get("REGIE_HSTS_SECONDS", "0" if (DEBUG or DEMO_MODE) else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("REGIE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("REGIE_HSTS_PRELOAD", False)
# Preload lists the whole registrable domain in browsers for months; that is the corporation's
# decision for its domain, not Regie's, so not asking for it is not a warning here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Redirect plain HTTP to HTTPS in production; off in development, the demo and the tests, which
# run on http://127.0.0.1. Behind a TLS-terminating proxy set REGIE_PROXY_SSL_HEADER (e.g.
# X-Forwarded-Proto) so Django knows the original request was HTTPS, or the redirect loops.
SECURE_SSL_REDIRECT = env_bool("REGIE_SSL_REDIRECT", _PRODUCTION)
# ASVS 3.3.3: the "__Host-" prefix binds a cookie to this host, HTTPS and path / (no Domain). Only
# in production: development, the demo and the browser tests run on plain http://127.0.0.1.
if _PRODUCTION and SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-regie-session"
    CSRF_COOKIE_NAME = "__Host-regie-csrf"
if os.environ.get("REGIE_PROXY_SSL_HEADER"):
    _header = os.environ["REGIE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
# Uploads (regie/core/uploads.py): per-file limits for imports and documents, and a cap on any
# request body, answered 413 before the body is read (regie/core/middleware.py).
REGIE_IMPORT_MAX_BYTES = int(os.environ.get("REGIE_IMPORT_MAX_MB", "200")) * 1024 * 1024
REGIE_DOCUMENT_MAX_BYTES = int(os.environ.get("REGIE_DOCUMENT_MAX_MB", "10")) * 1024 * 1024
REGIE_MAX_REQUEST_BYTES = int(os.environ.get("REGIE_MAX_REQUEST_MB", "1024")) * 1024 * 1024
# Form fields without files: 2.5 MB is plenty; files over 2.5 MB go to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 25
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

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

# The access log (regie.audit): kept this many years, never fewer than NEN 7513's five (the
# database refuses to delete younger entries anyway); unusual access flagged on the desk when a
# user reads more than REGIE_UNUSUAL_READS distinct cases/households outside his own work in a
# day, or is refused REGIE_REFUSED_BURST times within an hour; an emergency override (noodknop)
# gives read access for REGIE_EMERGENCY_HOURS.
REGIE_ACCESS_LOG_YEARS = max(5, int(os.environ.get("REGIE_ACCESS_LOG_YEARS", "5")))
REGIE_UNUSUAL_READS = int(os.environ.get("REGIE_UNUSUAL_READS", "20"))
REGIE_REFUSED_BURST = int(os.environ.get("REGIE_REFUSED_BURST", "5"))
REGIE_EMERGENCY_HOURS = int(os.environ.get("REGIE_EMERGENCY_HOURS", "8"))

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
    # No OPTIONS metadata: DRF's describes the serializer fields (more than a caller needs to
    # know) and answered 500 on viewsets without a serializer_class (found by schemathesis).
    # OPTIONS now answers 405; the schema at /api/schema/ is the description.
    "DEFAULT_METADATA_CLASS": None,
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
