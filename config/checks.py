"""Deployment checks (`manage.py check --deploy`): settings a production site must have.

They inspect settings only and connect to nothing, so `scripts/check-deploy` can run them
anywhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends every app server process shares; anything else keeps counters per process.
SHARED_CACHE_BACKENDS = (
    "django.core.cache.backends.redis.RedisCache",
    "config.redis_cache.PooledClientRedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
)
E001_LOCAL_CACHE = Error(
    "The default cache is local to each process, so rate limits (failed logins, password "
    "resets, certificate look-ups, the API) are counted per process and multiply with "
    "every worker.",
    hint="Set REDIS_URL to a Redis server all app servers share.",
    id="dntracker.E001",
)


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return [] if backend in SHARED_CACHE_BACKENDS else [E001_LOCAL_CACHE]
