"""The production cache backend (config/redis_cache.py) on a real Redis: reads sent straight
on a pooled connection answer what was written, and a connection Redis dropped (a restart, an
idle timeout) is replaced without the caller noticing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import redis_cache_settings


@pytest.fixture
def on_redis(redis_url) -> Iterator[redis.Redis]:
    with override_settings(CACHES=redis_cache_settings(redis_url)):
        cache.clear()
        yield redis.Redis.from_url(redis_url)
        cache.clear()


def test_reads_answer_what_was_written(on_redis):
    cache.set("kept", {"hours": 27, "codes": ["DN-1"]})
    cache.set("count", 7)

    assert cache.get("kept") == {"hours": 27, "codes": ["DN-1"]}
    assert cache.get("count") == 7
    assert cache.get("missing") is None and cache.get("missing", "none") == "none"
    assert cache.get_many(["kept", "missing", "count"]) == {
        "kept": {"hours": 27, "codes": ["DN-1"]}, "count": 7,
    }  # fmt: skip
    assert cache.get_many([]) == {}


def test_a_read_on_a_connection_redis_dropped_is_answered_on_a_new_one(on_redis):
    cache.set("kept", "value")
    assert cache.get("kept") == "value"  # the pool now holds an open connection

    killed = on_redis.client_kill_filter(_type="normal", skipme=True)

    assert killed >= 1
    assert cache.get("kept") == "value"
    assert cache.get_many(["kept"]) == {"kept": "value"}
