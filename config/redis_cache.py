"""Django's Redis cache with one client per connection pool (issue 17). Django builds a new
`redis.Redis` for every cache call, and redis-py 8 fills about 170 response callbacks in each:
over a millisecond per call, more than the page a kept copy saves. A client is safe to share
between threads; the pool underneath notices a fork.

Reads (`get`, `get_many`) and the two scripts below, on every request, go straight to a
pooled connection: redis-py's client (and its pipelines) wrap each command in retries,
observability hooks and response callbacks, two thirds of a read's CPU, which a plain GET,
MGET or EVALSHA needs none of. The pool checks a connection
before handing it out and replaces one that Redis dropped. Keys are not checked for
memcached's limits, which Redis does not have.

Values are read back without first being tried as integers (`PickleFirstSerializer`), and
replies are parsed by hiredis (C) when it is installed, as redis-py does by itself: the
pure-Python parser spent 130 µs on a 50 KB kept page.

`get_many_and_eval` reads keys and runs a script in one round trip: a kept answer is read and
its caller counted against a rate limit at once (config/throttling.py).

`get_through` reads a key, a pointer and the keys the pointer names in one round trip: a
signed-in request's session and its user's entry (accounts/sessions.py). Other caches (the
per-process one of tests and development) answer it in several reads (`cache_get_through`)."""

from __future__ import annotations

import functools
import hashlib
import pickle
from typing import Any

from django.core.cache import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import ConnectionError, NoScriptError, ResponseError, TimeoutError

POINTED = "{id}"  # in a `get_through` key: the pointer's value


def pointed_keys(keys: list[str], target: object) -> list[str]:
    """`keys` with POINTED replaced by `target` (a user's id)."""
    return [key.replace(POINTED, str(target)) for key in keys]


# The first key, the pointer, then (when the pointer is set) each ARGV with POINTED replaced by
# the pointer's value. A missing key is false, so the answer keeps its order.
GET_THROUGH = """
local found = {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}
if found[2] then
  for i = 1, #ARGV do
    found[#found + 1] = redis.call('GET', (string.gsub(ARGV[i], '{id}', found[2])))
  end
end
return found
"""


@functools.cache
def _digest(script: str) -> str:
    """The name EVALSHA knows a script by."""
    return hashlib.sha1(script.encode()).hexdigest()


def _raised(replies: list[Any]) -> list[Any]:
    """The replies, unless one is an error: then that error, raised."""
    for reply in replies:
        if isinstance(reply, Exception):
            raise reply
    return replies


class PickleFirstSerializer(RedisSerializer):
    """Django's format (integers as digits, for INCR; anything else pickled), read the other way
    round: a pickle (protocol 2 and up) starts with the PROTO opcode, so it is loaded at once
    instead of after a failed `int()` and its exception, on every value but a counter."""

    def __init__(self, protocol: int | None = None) -> None:
        super().__init__(protocol)
        if self.protocol < 2:
            raise ValueError("pickle protocol 2 or later: its first byte tells a pickle apart")

    def loads(self, data: bytes) -> Any:
        return pickle.loads(data) if data[:1] == pickle.PROTO else int(data)


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("serializer", PickleFirstSerializer)
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client

    def _exchange(self, commands: list[tuple], *, write: bool = False) -> list[Any]:
        """The commands sent in one write on a pooled connection, and their replies in order. A
        reply that is an error comes back as its exception, once every reply is read: the
        connection goes back to the pool with nothing left unread."""
        pool = self.get_client(write=write).connection_pool
        connection = pool.get_connection()  # checked first: one Redis dropped is replaced
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            replies = []
            for _ in commands:
                try:
                    replies.append(connection.read_response())
                except ResponseError as error:
                    replies.append(error)
            return replies
        except (ConnectionError, TimeoutError):
            connection.disconnect()  # never handed out again half-read
            raise
        finally:
            pool.release(connection)

    def _script(
        self, script: str, keys: list[str], args: list[str], before: list[tuple], write: bool
    ) -> list[Any]:
        """The `before` commands' replies, then the script's, in one round trip: the script is
        named by its digest, and sent whole only to a Redis that has not seen it yet (started,
        flushed), which then has run nothing of it."""
        call = (len(keys), *keys, *args)
        replies = self._exchange([*before, ("EVALSHA", _digest(script), *call)], write=write)
        if isinstance(replies[-1], NoScriptError):
            replies[-1:] = self._exchange([("EVAL", script, *call)], write=write)
        return _raised(replies)

    def _answers(self, commands: list[tuple]) -> list[Any]:
        return _raised(self._exchange(commands))

    def get(self, key: str, default: Any) -> Any:
        (value,) = self._answers([("GET", key)])
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys: Any) -> dict[str, Any]:
        keys = list(keys)
        if not keys:
            return {}
        (values,) = self._answers([("MGET", *keys)])
        found = zip(keys, values, strict=True)
        return {k: self._serializer.loads(v) for k, v in found if v is not None}

    def get_through(self, first: str, pointer: str, pointed: list[str]) -> list[Any]:
        (found,) = self._script(GET_THROUGH, [first, pointer], pointed, [], write=False)
        return [None if v is None else self._serializer.loads(v) for v in found]

    def get_many_and_eval(
        self, keys: list[str], script: str, script_keys: list[str], args: list[str]
    ) -> tuple[dict[str, Any], Any]:
        before = [("MGET", *keys)] if keys else []
        *values, result = self._script(script, script_keys, args, before, write=True)
        found = zip(keys, values[0] if values else (), strict=False)
        return {k: self._serializer.loads(v) for k, v in found if v is not None}, result


class PooledClientRedisCache(RedisCache):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._class = PooledClientRedisCacheClient

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._cache.get(self.make_key(key, version=version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        made = {self.make_key(key, version=version): key for key in keys}
        return {made[key]: value for key, value in self._cache.get_many(made).items()}

    def get_through(
        self, first: str, pointer: str, pointed: list[str]
    ) -> tuple[Any, Any, dict[str, Any]]:
        """The values of `first` and `pointer`, and of the `pointed` keys with POINTED replaced
        by the pointer's value (none when it is unset; a missing key is left out), in one
        round trip. Keys are made by the default key function, which keeps POINTED intact."""
        found = self._cache.get_through(
            self.make_key(first), self.make_key(pointer), [self.make_key(k) for k in pointed]
        )
        target = found[1]
        named = pointed_keys(pointed, target)
        values = dict(zip(named, found[2:], strict=False))
        return found[0], target, {k: v for k, v in values.items() if v is not None}

    def get_many_and_eval(
        self, keys: list[str], script: str, script_keys: list[str], args: list[str]
    ) -> tuple[dict[str, Any], Any]:
        """`get_many(keys)` and the Lua `script`'s answer for `script_keys` (cache keys too)
        and `args`, in one round trip."""
        made = {self.make_key(key): key for key in keys}
        found, result = self._cache.get_many_and_eval(
            list(made), script, [self.make_key(key) for key in script_keys], args
        )
        return {made[key]: value for key, value in found.items()}, result


def cache_get_through(
    cache: BaseCache, first: str, pointer: str, pointed: list[str]
) -> tuple[Any, Any, dict[str, Any]]:
    """`PooledClientRedisCache.get_through` on any cache: one round trip on Redis, several
    reads on the others."""
    if isinstance(cache, PooledClientRedisCache):
        return cache.get_through(first, pointer, pointed)
    found = cache.get_many([first, pointer])
    target = found.get(pointer)
    if target is None:
        return found.get(first), None, {}
    return (
        found.get(first),
        target,
        cache.get_many(pointed_keys(pointed, target)),
    )
