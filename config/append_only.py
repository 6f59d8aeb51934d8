"""Records nothing may rewrite (DESIGN.md 2; the hours ledger, the audit log, refunds,
certificates, assessment results, rule and catalog history, payments): database triggers
refuse DELETE, and UPDATE except the column changes a record's own transitions make, whatever
code (or person at a SQL prompt) tries. On PostgreSQL a statement trigger refuses TRUNCATE too.

Triggers bind every role except the tables' owner, who may disable or drop them: production
connects as an application role that owns nothing and may not TRUNCATE (README, production;
`manage.py grant_app_role`), so only the role that migrates can lift a guard.

SQLite, the development database, gets the same row triggers. Its ALTER TABLE rebuilds a
table, which drops them: a later migration that alters a guarded table must run the guard
again (tests/config/test_append_only.py fails on SQLite until it does)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.db import migrations

# `may_change=EVERY_COLUMN`: rows are kept (no DELETE, no TRUNCATE) but any UPDATE passes,
# for a record whose state follows an outside system (a payment follows Stripe).
EVERY_COLUMN = ("*",)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF {allowed} THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '{message} %', TG_OP;
END;
$$ LANGUAGE plpgsql"""
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
    "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
]
POSTGRES_CREATE = [
    POSTGRES_FUNCTION,
    *POSTGRES_DROP,
    """CREATE TRIGGER {table}_append_only BEFORE {row_events} ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
    """CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS {table}_append_only_update",
    "DROP TRIGGER IF EXISTS {table}_append_only_delete",
]
SQLITE_TRIGGER = """CREATE TRIGGER {table}_append_only_{op} BEFORE {OP} ON {table} {when}
BEGIN SELECT RAISE(ABORT, '{message} {OP}'); END"""


def _literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _transitions(settles: Mapping[str, str | None], may_clear: str, same: str) -> list[str]:
    """SQL conditions on the `settles` and `may_clear` columns, all true for an allowed
    UPDATE; `same` is the dialect's NULL-safe equality."""
    conditions = [
        f'(NEW."{c}" {same} OLD."{c}" OR OLD."{c}" {same} {_literal(v)})'
        for c, v in settles.items()
    ]
    if may_clear:
        c = may_clear
        conditions.append(f'(NEW."{c}" {same} OLD."{c}" OR NEW."{c}" IS NULL)')
    return conditions


def _postgres(table: str, message: str, free: set[str], conditions: list[str]) -> list[str]:
    every = free == set(EVERY_COLUMN)
    # Columns outside `free` are compared whole, so a column added later is guarded too.
    columns = "ARRAY[" + ", ".join(_literal(c) for c in sorted(free)) + "]::text[]"
    allowed = " AND ".join(
        [f"to_jsonb(NEW) - {columns} = to_jsonb(OLD) - {columns}", *conditions]
    ) if free and not every else "FALSE"  # fmt: skip
    row_events = "DELETE" if every else "UPDATE OR DELETE"
    return [
        sql.format(table=table, message=message, allowed=allowed, row_events=row_events)
        for sql in POSTGRES_CREATE
    ]


def _sqlite(schema_editor, table: str, message: str, free: set[str], conditions: list[str]):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    frozen = [f'NEW."{c}" IS OLD."{c}"' for c in names if c not in free]
    when = "" if not free else "WHEN NOT (" + " AND ".join(frozen + conditions) + ")"
    statements = [sql.format(table=table) for sql in SQLITE_DROP]
    if free != set(EVERY_COLUMN):
        statements.append(SQLITE_TRIGGER.format(
            table=table, op="update", OP="UPDATE", when=when, message=message
        ))  # fmt: skip
    statements.append(
        SQLITE_TRIGGER.format(table=table, op="delete", OP="DELETE", when="", message=message)
    )
    return statements


def append_only(
    table: str,
    hint: str,
    *,
    may_change: Sequence[str] = (),
    settles: Mapping[str, str | None] | None = None,
    may_clear: str = "",
) -> migrations.RunPython:
    """The migration operation that adds (or, reversed, drops) the guard on `table`. `hint`
    says what to do instead and is followed by the refused operation's name. UPDATEs pass
    only when every column is unchanged except: `may_change` columns (any value; or
    EVERY_COLUMN), `settles` columns (may change only while they hold the given initial
    value, so they are set once), and `may_clear`, a SET_NULL foreign key column that may be
    set to NULL. Running it again on a guarded table replaces its guard."""
    settles = settles or {}
    free = {*may_change, *settles, *([may_clear] if may_clear else [])}
    message = f"{table} is append-only: {hint}".replace("'", "''")

    def install(schema_editor) -> list[str]:
        if schema_editor.connection.vendor == "postgresql":
            conditions = _transitions(settles, may_clear, "IS NOT DISTINCT FROM")
            return _postgres(table, message, free, conditions)
        if schema_editor.connection.vendor == "sqlite":
            conditions = _transitions(settles, may_clear, "IS")
            return _sqlite(schema_editor, table, message, free, conditions)
        return []

    def remove(schema_editor) -> list[str]:
        if schema_editor.connection.vendor == "postgresql":
            drops = [*POSTGRES_DROP, "DROP FUNCTION IF EXISTS {table}_append_only()"]
            return [sql.format(table=table) for sql in drops]
        if schema_editor.connection.vendor == "sqlite":
            return [sql.format(table=table) for sql in SQLITE_DROP]
        return []

    return migrations.RunPython(_run(install), _run(remove))


def _run(statements: Callable[[object], list[str]]) -> Callable[[object, object], None]:
    def operation(apps: object, schema_editor) -> None:
        for sql in statements(schema_editor):
            schema_editor.execute(sql, params=None)

    return operation
