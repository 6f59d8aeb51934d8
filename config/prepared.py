"""Statements PostgreSQL plans once per connection, for the few asked on every signed-in
request (issue 17): planning the learner's fingerprint took 0.8 ms, twice its execution.

Django's cursors bind parameters on the client, which cannot be prepared, and Django turns
psycopg's automatic preparing off for transaction poolers (which this deployment has not;
PgBouncer before 1.21 would need `prepared_cursor` to give a plain cursor). The settings let
these statements ask for it (`prepare_threshold`); a statement's parameters must then have a
type PostgreSQL can infer (a bare text parameter in a function call may not)."""

from __future__ import annotations

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


class _PreparedCursor(psycopg.Cursor):
    """Server-side binding, every statement prepared (see `prepared_cursor`)."""

    def execute(self, query, params=None, *, prepare=True, binary=None):  # type: ignore[override]
        return super().execute(query, params, prepare=prepare, binary=binary)


def prepared_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor whose statements are prepared on PostgreSQL (elsewhere, Django's own);
    logged and counted like any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _PreparedCursor(connection.connection)
    return (connection.make_debug_cursor(raw) if connection.queries_logged
            else connection.make_cursor(raw))  # fmt: skip
