"""The test database as production runs it (README, production): migrated by the role that
owns the tables, used by an application role that owns nothing (when DATABASE_APP_URL names
one, as scripts/with-postgres does), and flushed between transactional tests by the owner
with the append-only guards (config/append_only.py) lifted for that one transaction.

Django flushes with TRUNCATE on PostgreSQL and DELETE on SQLite, both refused by the guards;
nothing in the site's code lifts them, only this test-only path, as the owner."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import environ
from django.db import connections, transaction

# Our triggers only: Wagtail's search index has SQLite triggers of its own.
POSTGRES_GUARDS = r"""SELECT tgrelid::regclass::text, tgname FROM pg_trigger
    WHERE NOT tgisinternal AND (tgname LIKE '%\_append\_only' OR tgname LIKE '%\_no\_truncate')"""
SQLITE_GUARDS = r"""SELECT name, sql FROM sqlite_master
    WHERE type = 'trigger' AND name LIKE '%\_append\_only\_%' ESCAPE '\'"""

_owner: dict[str, Any] = {}  # the owner's USER and PASSWORD, once the test database exists


def app_role() -> dict[str, str] | None:
    """USER and PASSWORD of DATABASE_APP_URL, the role the suite runs as; None: the owner."""
    url = os.environ.get("DATABASE_APP_URL")
    if not url:
        return None
    config = environ.Env.db_url_config(url)
    return {"USER": config["USER"], "PASSWORD": config["PASSWORD"]}


def switch_role(role: dict[str, str]) -> None:
    """Connect as `role` from now on, in every thread: they share the settings dict."""
    connections.close_all()
    connections["default"].settings_dict.update(role)


@contextmanager
def owner_connection() -> Iterator[Any]:
    """A psycopg connection to the test database as the tables' owner, in a transaction."""
    import psycopg

    settings = connections["default"].settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or None, dbname=settings["NAME"],
        user=_owner["USER"], password=_owner["PASSWORD"] or None,
        options="-c lock_timeout=10s",  # a test holding a lock fails instead of hanging
    ) as conn, conn.transaction():  # fmt: skip
        yield conn


def as_owner(statements: Sequence[str]) -> None:
    """Run `statements` as the tables' owner, in one transaction."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        return
    with owner_connection() as conn:
        for sql in statements:
            conn.execute(sql)


def _flush_postgres(ops: Any, sql_list: Sequence[str]) -> None:
    with owner_connection() as conn:
        guards = conn.execute(POSTGRES_GUARDS).fetchall()
        for table, trigger in guards:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        for sql in sql_list:
            conn.execute(sql)
        for table, trigger in guards:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def _flush_sqlite(original: Callable) -> Callable:
    def flush(ops: Any, sql_list: Sequence[str]) -> None:
        with transaction.atomic(using=ops.connection.alias), ops.connection.cursor() as cursor:
            cursor.execute(SQLITE_GUARDS)
            guards = cursor.fetchall()
            for name, _ in guards:
                cursor.execute(f'DROP TRIGGER "{name}"')
            original(ops, sql_list)
            for _, sql in guards:
                cursor.execute(sql)

    return flush


def start(monkeypatch: Any) -> None:
    """After Django created and migrated the test database as the owner: `flush` lifts the
    guards as the owner; the app role (when one is named) gets its rights and is used."""
    from django.core.management import call_command

    connection = connections["default"]
    postgres, settings = connection.vendor == "postgresql", connection.settings_dict
    _owner.update(USER=settings["USER"], PASSWORD=settings["PASSWORD"])
    ops_class = type(connection.ops)
    flush = _flush_postgres if postgres else _flush_sqlite(ops_class.execute_sql_flush)
    monkeypatch.setattr(ops_class, "execute_sql_flush", flush)
    role = app_role() if postgres else None
    if role:
        call_command("grant_app_role", role["USER"], verbosity=0)
        switch_role(role)


def stop() -> None:
    """Back to the owner, who drops the test database."""
    switch_role({"USER": _owner["USER"], "PASSWORD": _owner["PASSWORD"]})
