"""A PostgreSQL trigger that refuses UPDATE and DELETE on a table, whatever code (or person
with a SQL prompt) tries; for the records nothing may rewrite (hours ledger, audit log).
SQLite, the development database, relies on the model-level guards alone."""

from __future__ import annotations

from django.db import migrations

CREATE = """
CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: {hint} %', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def append_only(table: str, hint: str) -> migrations.RunPython:
    """The migration operation that adds (or, reversed, drops) the trigger on `table`;
    `hint` says what to do instead, followed by the refused operation's name."""

    def run(sql: str):
        def operation(apps: object, schema_editor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql.format(table=table, hint=hint), params=None)

        return operation

    return migrations.RunPython(run(CREATE), run(DROP))
