"""The expensive part of a signed-in page, kept in the shared cache while what it shows has not
changed (issue 17: the learner's and instructor's pages cost 25-50 ms of CPU each).

Fresh by key, not by timer: a kept value is found only under the *fingerprint* of the rows it
was built from, read in one cheap query (`rows_mark` per table: append-only tables change
their count and highest id with every row; the others renew `updated_at` on every save), and
under the public pages' version (config/page_cache.py: the catalog, seats, certificates,
professions) and the provider's today (windows and expiries move with the date). A writer
therefore needs no hook to call: any change makes a new key, and the old value is never
read again. The timeout only bounds the memory kept for pages nobody reads.

Only the part that is the same for every request of its owner is kept: the page around it
(flash messages, the menu) is rendered per request, and a form inside a kept part carries
`CSRF_SLOT` for its token, filled in per request by `with_csrf` (the token changes with
every sign-in). The owner's id is part of
every key, so nobody is ever served another person's fragment."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache as once

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Count,
    Expression,
    F,
    Max,
    Model,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.middleware.csrf import get_token

from .dates import provider_today
from .page_cache import pages_version

TIMEOUT = 60 * 60


def rows_mark(rows: QuerySet, group: str, *, saved: str | Expression | None = None) -> Subquery:
    """A text that changes whenever a row of `rows` (filtered to one owner, grouped by `group`,
    the owner's column) is added or removed; with `saved` (a field, or an expression, that every
    save changes, such as `updated_at`) also whenever one is saved."""
    text = TextField()
    parts: list = [Cast(Count("pk"), text), Value(":"), Cast(Max("pk"), text)]
    if saved is not None:
        saved = F(saved) if isinstance(saved, str) else saved
        each = Concat(Cast("pk", text), Value("@"), Cast(saved, text), output_field=text)
        # In any order (SQLite before 3.44 cannot order it): each row's id and stamp are in the
        # text, so another state of the rows is always another text; another order of the
        # same rows costs only a rebuild.
        parts += [Value(":"), StringAgg(each, Value(","))]
    marked = rows.order_by().values(group).annotate(mark=Concat(*parts, output_field=text))
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
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, [*params, pk])
            return tuple(cursor.fetchone() or ())

    return read


def kept[T](parts: Sequence[object], build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """`build()`'s value, kept under `parts` (the fragment's name, its owner's id, the
    fingerprint of its rows, anything else it varies by), the public pages' version and
    the provider's today. Read the fingerprint before building: a change committed in
    between is then at worst kept under a key that is never asked for again. A `timeout`
    shorter than the default bounds what time alone changes; a None built is not kept."""
    named = repr((*parts, pages_version(), provider_today()))
    key = "fragment:" + hashlib.sha256(named.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, timeout)
    return value


# What `{% csrf_token %}` writes in a kept part, rendered with {"csrf_token": CSRF_SLOT}.
CSRF_SLOT = "csrf-token-slot-filled-per-request"


def with_csrf(html: str, request: HttpRequest) -> str:
    """A kept part with the request's own CSRF token in each of its forms."""
    return html.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in html else html
