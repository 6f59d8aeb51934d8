"""The production cache backend (config/redis_cache.py) on a real Redis: reads sent straight
on a pooled connection answer what was written, and a connection Redis dropped (a restart, an
idle timeout) is replaced without the caller noticing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from config.redis_cache import PickleFirstSerializer
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


def test_values_that_look_like_numbers_come_back_as_written(on_redis):
    """Counters are stored as digits (INCR works on them); everything else is pickled, and a
    pickle is told apart by its first byte, so a text of digits stays text."""
    values = {"text": "123", "bytes": b"456", "negative": -5, "big": 2**70, "flag": True,
              "page": b"x" * 60_000, "none_in": [None], "empty": ""}  # fmt: skip
    cache.set_many(values)
    cache.set("counter", 1)
    cache.incr("counter", 41)

    assert cache.get_many([*values, "counter"]) == {**values, "counter": 42}
    assert on_redis.get(cache.make_key("counter")) == b"42"  # still a number to Redis
    assert type(cache.get("flag")) is bool and type(cache.get("text")) is str


def test_a_serializer_whose_pickles_lack_the_marker_is_refused():
    with pytest.raises(ValueError, match="protocol 2"):
        PickleFirstSerializer(protocol=1)


def test_replies_are_parsed_by_hiredis(on_redis):
    """redis-py picks hiredis's C parser when it is installed (a dependency for that reason)."""
    connection = cache._cache.get_client().connection_pool.get_connection()
    try:
        assert type(connection._parser).__name__ == "_HiredisParser"
    finally:
        cache._cache.get_client().connection_pool.release(connection)


def test_an_error_reply_is_raised_and_the_connection_stays_usable(on_redis):
    cache.set("text", "not a number")

    with pytest.raises(redis.ResponseError, match="not an integer"):  # after the MGET's reply
        cache.get_many_and_eval(["text"], "return redis.call('INCR', KEYS[1])", ["text"], [])

    on_redis.lpush(cache.make_key("list"), "a")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        cache.get("list")
    assert cache.get("text") == "not a number"  # the same pooled connection, nothing left over
    assert cache.get_many(["text", "list"]) == {"text": "not a number"}


def test_a_read_on_a_connection_redis_dropped_is_answered_on_a_new_one(on_redis):
    cache.set("kept", "value")
    assert cache.get("kept") == "value"  # the pool now holds an open connection

    killed = on_redis.client_kill_filter(_type="normal", skipme=True)

    assert killed >= 1
    assert cache.get("kept") == "value"
    assert cache.get_many(["kept"]) == {"kept": "value"}
