"""Settings come from the environment; production-like values pass `check --deploy`.

Each case imports the settings in a fresh interpreter with a controlled environment,
as a deployment would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "dntracker.example.com,www.dntracker.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://dntracker.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "REDIS_URL": "redis://cache.internal:6379/0",  # never connected to by the checks
}
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "DB": {k: settings.DATABASES["default"][k] for k in ("ENGINE", "NAME", "HOST", "PORT")},
    "CACHE": settings.CACHES["default"],
    "MAILER": settings.MAILERS["default"],
    "TASKS": settings.TASKS["default"]["BACKEND"],
    "SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
}, default=str))
"""


def _run(code: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _ALL_VARIABLES}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings.base", **env}
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


_ALL_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
    "EMAIL_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def _settings(**env: str) -> dict:
    result = _run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _run(["-c", PRINT_SETTINGS], {"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_it_defaults_to_a_sqlite_file_console_mail_and_a_local_cache_in_debug():
    found = _settings(DEBUG="true")

    assert found["DB"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["DB"]["NAME"].endswith("db.sqlite3")
    assert found["MAILER"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["CACHE"]["BACKEND"].endswith("LocMemCache")
    assert found["TASKS"] == "django_tasks_db.DatabaseBackend"


def test_it_reads_hosts_database_mail_and_cache_from_the_environment():
    found = _settings(
        **{
            **PRODUCTION,
            "DATABASE_URL": "postgres://dn:secret@db.internal:5433/dntracker",
            "EMAIL_URL": "smtp+tls://mailer:p%40ss@smtp.example.com:587",
            "REDIS_URL": "redis://cache.internal:6379/1",
        }
    )

    assert found["DEBUG"] is False
    assert found["ALLOWED_HOSTS"] == ["dntracker.example.com", "www.dntracker.example.com"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://dntracker.example.com"]
    assert found["DB"] == {
        "ENGINE": "config.postgres",
        "NAME": "dntracker",
        "HOST": "db.internal",
        "PORT": 5433,
    }
    assert found["MAILER"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.com",
            "port": 587,
            "username": "mailer",
            "password": "p@ss",
            "use_tls": True,
        },
    }
    assert found["CACHE"] == {
        "BACKEND": "config.redis_cache.PooledClientRedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert found["SSL_REDIRECT"] is True


def test_check_deploy_reports_nothing_with_production_like_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
