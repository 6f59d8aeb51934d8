"""Deployment checks: production refuses a cache that each process keeps for itself."""

from __future__ import annotations

import pytest
from django.test import override_settings

from config.checks import check_shared_cache
from tests.config.test_settings import PRODUCTION, _run

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
}


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_it_refuses_a_cache_local_to_the_process_or_host(backend):
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "/tmp/x"}}):
        assert [error.id for error in check_shared_cache()] == ["dntracker.E001"]


def test_it_accepts_redis():
    with override_settings(CACHES=REDIS):
        assert check_shared_cache() == []


def test_check_deploy_fails_in_production_without_redis():
    result = _run(
        ["manage.py", "check", "--deploy"],
        {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"},
    )

    assert result.returncode != 0
    assert "dntracker.E001" in result.stderr
    assert "Set REDIS_URL" in result.stderr


def test_the_development_server_keeps_its_local_cache():
    result = _run(["manage.py", "check"], {"DJANGO_SETTINGS_MODULE": "config.settings.dev"})

    assert result.returncode == 0, result.stderr
