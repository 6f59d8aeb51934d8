"""Cache keys read ahead, in the round trip that loads a signed-in request's session (issue 17):
its user's entry (accounts/user_cache.py) always, and what the request's view asked for before
the session loaded (an early download's kept answer, config/early_downloads.py). Each round
trip a signed-in request saves is worth more than its CPU on a busy machine: the process waits
for Redis to be scheduled.

Values kept here belong to one request: cleared when a request starts and at every session
load, used once each, and only by a reader that names the very keys (which carry the user's
id), through `read_ahead_take`. A key read ahead is as fresh as a read at the session's load,
a few instructions before its use."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.core.signals import request_started

# Keys the session load reads too, beside its user's (POINTED stands for the user's id).
_wanted: ContextVar[tuple[str, ...]] = ContextVar("read_ahead_wanted", default=())
# Keys read, and the values of those found.
_kept: ContextVar[tuple[frozenset[str], dict[str, Any]] | None] = ContextVar(
    "read_ahead_kept", default=None
)


def read_ahead_want(*keys: str) -> None:
    """Read these with this request's session, when it loads."""
    _wanted.set(_wanted.get() + keys)


def read_ahead_wanted() -> tuple[str, ...]:
    return _wanted.get()


def read_ahead_keep(keys: list[str], found: dict[str, Any]) -> None:
    """What a session load read: `keys`, of which `found` were present."""
    _kept.set((frozenset(keys), found))


def read_ahead_take(keys: list[str]) -> dict[str, Any] | None:
    """The present ones of `keys` when all were read ahead, as `cache.get_many` would answer;
    None (read them yourself) otherwise. Each is answered once."""
    kept = _kept.get()
    if kept is None or not kept[0].issuperset(keys):
        return None
    read, found = kept
    _kept.set((read.difference(keys), found))
    return {key: found[key] for key in keys if key in found}


def read_ahead_clear(**kwargs: Any) -> None:
    _wanted.set(())
    _kept.set(None)


def connect() -> None:
    request_started.connect(read_ahead_clear, dispatch_uid="read_ahead_clear")
