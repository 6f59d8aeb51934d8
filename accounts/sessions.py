"""Sessions kept in the shared cache and the database (Django's cached_db), read together with
their user's cache entry in one round trip (issue 17): a signed-in request used to ask the
cache for its session, and then for its user (accounts/user_cache.py).

Beside each signed-in session the cache keeps a pointer to its user's id, written with the
session; a load reads the session, the pointer and the user's keys it names at once, with any
keys the request asked for beforehand, and keeps them for their readers
(config/read_ahead.py). Once a process has seen a session, it reads the same keys with a plain
MGET under the user it saw, with no script and no pointer. A pointer or a process's memory that
is missing or names someone else (a session saved before this, or changed elsewhere) costs the
separate reads it saves, never a wrong user: the user is still the one the session names."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore

from config.read_ahead import read_ahead_clear, read_ahead_keep, read_ahead_wanted
from config.redis_cache import cache_get_through, pointed_keys

from .user_cache import READ_AHEAD_KEYS

POINTER_PREFIX = "auth:session-user:"
# Which user each session named when this process last read it: a hint of whose keys to read
# with the session, believed only when the session read names that same user. A session key
# never changes hands (Django gives a new key at every sign-in), so the hint is rarely wrong.
_USERS_SEEN: dict[str, int] = {}
USERS_SEEN_MAX = 10_000  # then it starts over: about a megabyte at most


def _remember_user(session_key: str | None, user_id: int) -> None:
    if session_key:
        if len(_USERS_SEEN) >= USERS_SEEN_MAX:
            _USERS_SEEN.clear()
        _USERS_SEEN[session_key] = user_id


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
            data, pointed, found = self._read_with_user(wanted)
        except Exception:  # noqa: BLE001 as cached_db: a failing cache falls back to the database
            data, pointed, found = None, None, {}
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        user_id = self._user_id(data)
        if user_id is not None:
            if user_id == pointed:
                read_ahead_keep(pointed_keys(wanted, user_id), found)
            else:
                self._point_at(user_id, data)
            _remember_user(self.session_key, user_id)
        return data

    def _read_with_user(self, wanted: list[str]) -> tuple[Any, Any, dict[str, Any]]:
        """The session, the user id its keys were read for, and those keys: by the user this
        process last saw under the session (a plain MGET), else through the pointer (a
        script, about ten times Redis's work)."""
        user_id = _USERS_SEEN.get(self.session_key or "")
        if user_id is None:
            return cache_get_through(self._cache, self.cache_key, self._pointer_key, wanted)
        named = pointed_keys(wanted, user_id)
        found = self._cache.get_many([self.cache_key, *named])
        return found.pop(self.cache_key, None), user_id, found

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
