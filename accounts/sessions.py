"""Sessions kept in the shared cache and the database (Django's cached_db), read together with
their user's cache entry in one round trip (issue 17): a signed-in request used to ask the
cache for its session, and then for its user (accounts/user_cache.py).

Beside each signed-in session the cache keeps a pointer to its user's id, written with the
session; a load reads the session, the pointer and the user's keys it names at once, with any
keys the request asked for beforehand, and keeps them for their readers
(config/read_ahead.py). A pointer that is missing or names someone else (a session saved
before this, or changed elsewhere) costs the separate reads it saves, never a wrong user: the
user is still the one the session names."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore

from config.read_ahead import read_ahead_clear, read_ahead_keep, read_ahead_wanted
from config.redis_cache import POINTED, cache_get_through

from .user_cache import READ_AHEAD_KEYS

POINTER_PREFIX = "auth:session-user:"


class SessionStore(CachedDbStore):
    @property
    def _pointer_key(self) -> str:
        return POINTER_PREFIX + self._get_or_create_session_key()

    def load(self) -> dict[str, Any]:
        """cached_db's load, with the user's keys (and those the request asked for) read in
        the same round trip."""
        wanted = [*READ_AHEAD_KEYS, *read_ahead_wanted()]
        read_ahead_clear()
        try:
            data, pointed, found = cache_get_through(
                self._cache, self.cache_key, self._pointer_key, wanted
            )
        except Exception:  # noqa: BLE001 as cached_db: a failing cache falls back to the database
            data, pointed, found = None, None, {}
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        user_id = self._user_id(data)
        if user_id is not None and user_id == pointed:
            read_ahead_keep([key.replace(POINTED, str(user_id)) for key in wanted], found)
        elif user_id is not None:
            self._point_at(user_id, data)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        if (user_id := self._user_id(self._session)) is not None:
            self._point_at(user_id, self._session)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            self._cache.delete(POINTER_PREFIX + key)

    @staticmethod
    def _user_id(data: dict[str, Any]) -> int | None:
        value = data.get(SESSION_KEY)
        return int(value) if value is not None and str(value).isdigit() else None

    def _point_at(self, user_id: int, data: dict[str, Any]) -> None:
        expiry = data.get("_session_expiry")
        self._cache.set(self._pointer_key, user_id, self.get_expiry_age(expiry=expiry))
