"""Django's Redis cache with one client per connection pool (issue 17). Django builds a new
`redis.Redis` for every cache call, and redis-py 8 fills about 170 response callbacks in each:
over a millisecond per call, more than the page a kept copy saves. A client is safe to share
between threads; the pool underneath notices a fork."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class PooledClientRedisCache(RedisCache):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._class = PooledClientRedisCacheClient
