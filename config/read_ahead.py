"""Cache keys read ahead, in the round trip that loads a signed-in request's session (issue 17):
its user's entry (accounts/user_cache.py) always, what an early download reads (its kept
answer, config/early_downloads.py), and what the view at the request's address reads first,
when the view names it (`reads_ahead`, asked by `ReadAheadMiddleware`). Each round
trip a signed-in request saves is worth more than its CPU on a busy machine: the process waits
for Redis to be scheduled.

Values kept here belong to one request: cleared when a request starts and at every session
load, used once each, and only by a reader that names the very keys (which carry the user's
id), through `read_ahead_take`. A key read ahead is as fresh as a read at the session's load,
a few instructions before its use."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import request_started
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

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


def reads_ahead(keys: Callable[..., tuple[str, ...]]) -> Callable[[Callable], Callable]:
    """Mark a view (outermost decorator): `keys(**url_kwargs)` are the cache keys it reads
    first, read with a signed-in GET's session instead of in a round trip of their own."""

    def mark(view: Callable) -> Callable:
        view.read_ahead = keys  # type: ignore[attr-defined]
        return view

    return mark


@lru_cache(maxsize=4096)  # every signed-in GET asks: a resolve costs more than the lookup
def _keys_for(path: str) -> tuple[str, ...]:
    try:
        match = resolve(path)
    except Resolver404:
        return ()
    keys = getattr(match.func, "read_ahead", None)
    return tuple(keys(**match.kwargs)) if keys else ()


class ReadAheadMiddleware:
    """Above the session middleware: asks for the keys the address's view reads first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and settings.SESSION_COOKIE_NAME in request.COOKIES:
            if keys := _keys_for(request.path_info):
                read_ahead_want(*keys)
        return self.get_response(request)
