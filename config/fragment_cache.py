"""Signed-in pages, whole, kept in the shared cache while what they show has not changed
(issue 17: the learner's and instructor's pages cost 25-50 ms of CPU each).

Fresh by key, not by timer: a kept value is found only under the *fingerprint* of the rows it
was built from, read in one cheap query (`rows_mark` per table: append-only tables change
their count and highest id with every row; the others renew `updated_at` on every save), and
the provider's today (windows and expiries move with the date), and is served only while the
public pages' version (config/page_cache.py: the catalog, seats, certificates, professions)
and any other version it names (the rules') are those it was built under. A writer
therefore needs no hook to call: any change makes a new key or version, and the old value is
never served again. The timeout only bounds the memory kept for pages nobody reads.

What differs between two requests of the same owner is not kept: every form carries
`CSRF_SLOT` for its token, filled in per request by `with_csrf` (the token changes with every
sign-in), and the flash messages go in at `MESSAGES_SLOT` (`with_messages`). What the page
around the content varies by (the address, the visitor's roles in the menu, the static
files) is part of the key (`kept_page`), and so is the owner's id, so nobody is ever served
another person's page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache as once

from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Count,
    Expression,
    F,
    Func,
    Max,
    Model,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from accounts.roles import INSTRUCTOR, user_has_role, user_is_staff_member

from .dates import provider_today
from .page_cache import VERSION_KEY as PAGES_VERSION
from .page_cache import _current_version
from .prepared import prepared_cursor

TIMEOUT = 60 * 60


def _joined(*parts: Expression, sep: str) -> Func:
    """`parts` (texts, none NULL) joined by the constant `sep`. Concat would wrap every part
    in COALESCE and send each separator as a parameter; the statement would then outgrow
    what psycopg keeps parsed (4 KB) and be parsed again on every request."""
    return Func(*parts, template="%(expressions)s", arg_joiner=f" || '{sep}' || ",
                output_field=TextField())  # fmt: skip


def rows_mark(rows: QuerySet, group: str, *, saved: str | Expression | None = None) -> Subquery:
    """A text that changes whenever a row of `rows` (filtered to one owner, grouped by `group`,
    the owner's column) is added or removed; with `saved` (a field, or an expression, that every
    save changes, such as `updated_at`) also whenever one is saved."""
    text = TextField()
    parts: list = [Cast(Count("pk"), text), Cast(Max("pk"), text)]
    if saved is not None:
        saved = F(saved) if isinstance(saved, str) else saved
        stamp = Func(Cast(saved, text), template="COALESCE(%(expressions)s, '')")
        # In any order (SQLite before 3.44 cannot order it): each row's id and stamp are in the
        # text, so another state of the rows is always another text; another order of the
        # same rows costs only a rebuild.
        comma = Func(template="','", output_field=text)  # not a parameter: untyped, to be prepared
        parts.append(StringAgg(_joined(Cast("pk", text), stamp, sep="@"), comma))
    marked = rows.order_by().values(group).annotate(mark=_joined(*parts, sep=":"))
    return Subquery(marked.values("mark"), output_field=text)


# (a model, its column naming the owner, what every save renews or None for append-only rows)
type Table = tuple[type[Model], str, str | Expression | None]


def fingerprint_reader(owner: type[Model], tables: Sequence[Table]) -> Callable[[int], tuple]:
    """A function of an owner's id (a learner, an offering) that reads the `rows_mark` of each
    table's rows about it in one query. The SQL is built once per process: building it
    through the ORM on every request cost more than the page it guards."""

    @once
    def compiled() -> tuple[str, list]:
        marks = {
            f"mark_{n}": rows_mark(model.objects.filter(**{column: OuterRef("pk")}), column,
                                   saved=saved)
            for n, (model, column, saved) in enumerate(tables)
        }  # fmt: skip
        query = owner.objects.filter(pk=0).order_by().annotate(**marks).values_list(*marks).query
        sql, params = query.get_compiler(DEFAULT_DB_ALIAS).as_sql()
        if params[-1] != 0:  # the owner's id is the statement's last parameter
            raise AssertionError(f"unexpected fingerprint statement: {sql}")
        return sql, list(params[:-1])

    def read(pk: int) -> tuple:
        sql, params = compiled()
        with prepared_cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
            cursor.execute(sql, [*params, pk])
            return tuple(cursor.fetchone() or ())

    return read


def kept[T](
    parts: Sequence[object],
    build: Callable[[], T],
    *,
    versions: Sequence[str] = (),
    timeout: int = TIMEOUT,
) -> T:
    """`build()`'s value, kept under `parts` (the fragment's name, its owner's id, the
    fingerprint of its rows, anything else it varies by) and the provider's today, while the
    public pages' version and each of `versions` (other version keys, such as the rules') is
    the one it was built under: the versions and the value are read in one cache round trip.
    Read the fingerprint before building: a change committed in between is then at worst kept
    under a key that is never asked for again; a version bumped in between leaves the value
    under the old version, which is never served. A `timeout` shorter than the default bounds
    what time alone changes; a None built is not kept."""
    names = (PAGES_VERSION, *versions)
    key = "fragment:" + hashlib.sha256(repr((*parts, provider_today())).encode()).hexdigest()
    found = cache.get_many([*names, key])
    current = tuple(found.get(name) or _current_version(name) for name in names)
    held = found.get(key)
    if held is not None and held[0] == current:
        return held[1]
    value = build()
    if value is not None:
        cache.set(key, (current, value), timeout)
    return value


# What `{% csrf_token %}` writes in a kept part, rendered with {"csrf_token": CSRF_SLOT}.
CSRF_SLOT = "csrf-token-slot-filled-per-request"


def with_csrf(html: str, request: HttpRequest) -> str:
    """A kept part with the request's own CSRF token in each of its forms."""
    return html.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in html else html


# Where the page's flash messages go in a kept page (templates/base.html), per request.
MESSAGES_SLOT = "<!-- flash messages: filled per request -->"


def _deployed() -> str:
    """Changes with every deploy of new static files: a kept page names their hashed URLs."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def kept_page(
    request: HttpRequest,
    template: str,
    parts: Sequence[object],
    context: Callable[[], dict],
    *,
    versions: Sequence[str] = (),
) -> HttpResponse:
    """A whole signed-in page kept like a part (`kept`): the same bytes for every request
    of its owner under `parts`, except the request's CSRF token and flash messages, filled in
    per request. What the page around the part varies by is added to the key: the address
    (the canonical link), the visitor's roles (the menu's links) and the static files."""
    user = request.user
    seen = (request.scheme, request.get_host(), request.path, _deployed(),
            user_is_staff_member(user), user_has_role(user, INSTRUCTOR))  # fmt: skip

    def build() -> str:
        extra = {"csrf_token": CSRF_SLOT, "messages_slot": MESSAGES_SLOT}
        return render_to_string(template, context() | extra, request)

    html = kept((*parts, seen), build, versions=versions)
    return HttpResponse(with_messages(with_csrf(html, request), request))


def with_messages(html: str, request: HttpRequest) -> str:
    """A kept page with the request's flash messages (consumed, as a rendered page does)."""
    shown = get_messages(request)
    rendered = render_to_string("includes/messages.html", {"messages": shown}) if shown else ""
    return html.replace(MESSAGES_SLOT, rendered, 1)
