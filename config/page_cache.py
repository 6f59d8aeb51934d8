"""Whole public pages for anonymous visitors, kept in the shared cache (issue 17: public pages
at 2-3 % of a bare Django's throughput). Fresh by version, not by timer: any save of the
catalog, seats, pages, rules or certificates bumps one version at once and again on commit,
and a page built under an older version is never served. The timeout only bounds what time
alone changes (a registration that closes at a given minute): a minute at most.

Opt-in: a view marks its response `cacheable(response)`; the middleware keeps it only for a
GET without session, CSRF or messages cookie (so never a signed-in user's page, a page with a
form token, or one showing a flash message) and only when it sets no cookie itself. An API
answer to a small JSON POST without those cookies is kept the same way, under its URL, its
content type and a hash of its raw body: a repeated question is answered before the session
is read or the body parsed (the evaluate API, issue 17).

A kept HTML page loses its indentation (`html_compacted`): the calculator's 70 KB became 50,
which every hit sends and reads from Redis. Each kept copy is also kept gzipped, under its own
key (`_zipped`): a visitor whose browser accepts gzip (every browser, and most HTTP clients)
is sent that one, read from Redis as it is sent, compressed once per version instead of by a
proxy on every request (the calculator: 50 KB to about 7, the evaluate API's answer: 61 KB to
about 5). A kept page is the same for every anonymous visitor and holds no secret (no form
token, no session), so compressing it gives nothing away (BREACH)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from .dates import provider_today
from .read_ahead import read_ahead_take

VERSION_KEY = "pages:version"
TIMEOUT = 60
# The apps whose rows public pages show; any save there may change a page.
SHOWN_APPS = frozenset({"courses", "cms", "certification", "wagtailcore"})
SHOWN_MODELS = frozenset({"learners.profession"})
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages")
KEY_ADDRESS_MAX = 200
# A POST body is hashed for its key only up to this size; a bigger one goes its normal way.
KEPT_BODY_MAX = 16 * 1024
# How many kept copies' gates a process remembers (then it starts over): a few MB at most.
GATES_REMEMBERED = 10_000
_BROKEN_LINE = re.compile(rb"[ \t\r]*\n\s*")  # whitespace around a line break
_KEPT_AS_WRITTEN = (b"<pre", b"<textarea")  # where whitespace shows as written
ZIPPED_SUFFIX = ":gzip"  # the key of a kept copy's gzipped twin
ZIP_MIN = 200  # bytes: below this gzip's own header outweighs what it saves (as Django's)


def cacheable(response: HttpResponse) -> HttpResponse:
    """Mark a public page as the same for every anonymous visitor of its URL."""
    response.public_page = True  # type: ignore[attr-defined]
    return response


def gated(gate: Callable[[HttpRequest], bool]) -> Callable[[Callable], Callable]:
    """Give a cacheable view a check that a kept copy must pass too, such as a rate limit:
    `gate(request)` is asked before a copy is served; when it refuses, the view answers. A gate
    with `get_many(request, keys)` (config/throttling.py RateGate) is asked in the read itself
    once this process has seen the copy's gate."""

    def mark(view: Callable) -> Callable:
        view.page_cache_gate = gate  # type: ignore[attr-defined]
        return view

    return mark


def _current_version(version_key: str = VERSION_KEY) -> str:
    cache.add(version_key, uuid4().hex, timeout=None)
    return cache.get(version_key, "")


def version_now(version_key: str) -> str:
    """The version now under `version_key`, made when there is none (a lost one: whatever was
    kept under it is outdated)."""
    return cache.get(version_key) or _current_version(version_key)


def pages_version() -> str:
    """The current version of what public pages show: it changes with every save there."""
    return version_now(VERSION_KEY)


def versioned[T](
    key: str,
    build: Callable[[], T],
    *,
    version_key: str = VERSION_KEY,
    timeout: int | None = None,
    keeps: Callable[[T], bool] | None = None,
) -> T:
    """`build()`'s value, kept until the next change to what public pages show (a part of
    every page, such as the navigation), or to what another `version_key` stands for; only
    when `keeps(value)`, if given. The version is read before building: a change while it
    builds outdates what it keeps."""
    found = read_ahead_take([version_key, key])
    if found is None:
        found = cache.get_many([version_key, key])
    version = found.get(version_key) or _current_version(version_key)
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = build()
    if keeps is None or keeps(value):
        cache.set(key, (version, value), timeout=timeout)
    return value


def bump(version_key: str = VERSION_KEY) -> None:
    """A new version: everything kept under the old one is outdated."""
    cache.set(version_key, uuid4().hex, timeout=None)


def public_pages_changed() -> None:
    """Now, and again on commit: a page rebuilt from the uncommitted past in between is
    dropped too."""
    bump()
    transaction.on_commit(bump)


def _on_save(sender: type, **kwargs: Any) -> None:
    meta = sender._meta
    if meta.app_label in SHOWN_APPS or meta.label_lower in SHOWN_MODELS:
        public_pages_changed()


def _on_links_changed(sender: type, action: str, **kwargs: Any) -> None:
    """A many-to-many link added or removed (an offering's instructors), which saves no row."""
    if action.startswith("post_"):
        _on_save(sender)


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="page_cache_save")
    post_delete.connect(_on_save, dispatch_uid="page_cache_delete")
    m2m_changed.connect(_on_links_changed, dispatch_uid="page_cache_links")


def _length(request: HttpRequest) -> int:
    length = request.META.get("CONTENT_LENGTH", "")
    return int(length) if length.isdigit() else 0


class PublicPageCacheMiddleware:
    """Serve and keep `cacheable` pages; sits above the session middleware, so a hit costs
    one cache round trip and none of the inner middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Each kept copy's gate by key, as seen here: the next read asks it in the same round
        # trip (a key always answers from the same view, so it never goes stale).
        self._gates: dict[str, Any] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        zipped = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        sent = key + ZIPPED_SUFFIX if zipped else key  # the twin this visitor is sent
        found = self._read(request, key, sent)
        version, today = found.get(VERSION_KEY), provider_today()
        if version is None:  # before rendering: a change while we render must outdate it
            version = _current_version()
        elif found.get(sent, (None,))[:2] == (version, today) and self._passes(
            request, found[sent]
        ):
            return found[sent][3]
        response = self.get_response(request)
        if self._keeps(response):
            # The gate is kept by reference (a module-level one pickles as its name): a hit
            # asks it without resolving the URL again.
            gate = getattr(request.resolver_match.func, "page_cache_gate", None)
            self._remember(key, gate)
            html_compacted(response)
            patch_vary_headers(response, ("Accept-Encoding",))
            twin = _zipped(response)
            cache.set_many(
                {
                    key: (version, today, gate, response),
                    key + ZIPPED_SUFFIX: (version, today, gate, twin),
                },
                TIMEOUT,
            )
            return twin if zipped else response
        return response

    def _read(self, request: HttpRequest, key: str, sent: str) -> dict:
        gate = self._gates.get(key)
        if gate is None or not hasattr(gate, "get_many"):
            found = cache.get_many([VERSION_KEY, sent])
            self._remember(key, found.get(sent, (None, None, None))[2])
            return found
        return gate.get_many(request, [VERSION_KEY, sent])

    def _remember(self, key: str, gate: Any) -> None:
        if gate is not None:
            if len(self._gates) >= GATES_REMEMBERED:
                self._gates.clear()
            self._gates[key] = gate

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        if any(c in request.COOKIES for c in PERSONAL_COOKIES):
            return None
        if request.method == "GET":
            address = request.build_absolute_uri()
            # A long address (the calculator's form, six rows of hours) is kept under its hash:
            # caches other than Redis refuse keys over 250 characters.
            if len(address) > KEY_ADDRESS_MAX:
                address = hashlib.sha256(address.encode()).hexdigest()
            return f"page:{address}"
        if (
            request.method == "POST"
            and request.content_type == "application/json"
            and 0 < _length(request) <= KEPT_BODY_MAX
        ):
            try:
                raw = request.body
            except RequestDataTooBig:
                return None  # the view answers it, in the API's own words
            body = hashlib.sha256(request.META["CONTENT_TYPE"].encode() + b"\n" + raw)
            return f"answer:{request.build_absolute_uri()}:{body.hexdigest()}"
        return None

    @staticmethod
    def _passes(request: HttpRequest, kept: tuple) -> bool:
        gate = kept[2]
        return gate is None or gate(request)

    @staticmethod
    def _keeps(response: HttpResponse) -> bool:
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )


def html_compacted(response: HttpResponse) -> None:
    """Each run of whitespace holding a line break becomes the line break alone: a browser shows
    both as one space, so the page looks the same. Left whole: other content types, and a page
    with an element that shows whitespace as written."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    content = response.content
    if any(tag in content for tag in _KEPT_AS_WRITTEN):
        return
    response.content = _BROKEN_LINE.sub(b"\n", content)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def _zipped(response: HttpResponse) -> HttpResponse:
    """The kept response's gzipped twin (the response itself when gzip would not make it
    smaller), with the same status and headers but its encoding and length."""
    content = response.content
    packed = compress_string(content) if len(content) >= ZIP_MIN else content
    if len(packed) >= len(content):
        return response
    twin = HttpResponse(packed, status=response.status_code, headers=response.headers)
    twin["Content-Encoding"] = "gzip"
    twin["Content-Length"] = str(len(packed))
    return twin
