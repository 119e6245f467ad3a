"""`regie check --deploy --fail-level WARNING` passes with the production environment (only the
variables docs/operations.md asks for), and the settings refuse to start without a secret key."""

import os
import secrets
import subprocess
import sys

# Variables that switch on development, demo or test behaviour: none of them in production.
NOT_IN_PRODUCTION = ("REGIE_TESTING", "REGIE_DEBUG", "REGIE_DEMO", "REGIE_SECURE_COOKIES", "REGIE_SSL_REDIRECT")


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "regie.settings",
            "REGIE_SECRET_KEY": secrets.token_urlsafe(50),
            "REGIE_ALLOWED_HOSTS": "regie.corporatie.example",
            "REGIE_CSRF_TRUSTED_ORIGINS": "https://regie.corporatie.example",
            "REGIE_DATA_DIR": str(tmp_path),
            **extra,
        }
    )
    assert not any(k in env for k in NOT_IN_PRODUCTION if k not in extra)
    return env


def regie(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "regie.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_with_the_production_environment(tmp_path):
    result = regie("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_a_weak_secret_key(tmp_path):
    result = regie(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path, REGIE_SECRET_KEY="short")
    )
    assert result.returncode != 0 and "security.W009" in result.stderr


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["REGIE_SECRET_KEY"]
    result = regie("check", env=env)
    assert result.returncode != 0 and "REGIE_SECRET_KEY is not set" in result.stderr


def test_production_defaults_are_strict(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=production_env(tmp_path, REGIE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "__Host-regie-session",
        "__Host-regie-csrf",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]
