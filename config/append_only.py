"""A PostgreSQL trigger that refuses UPDATE and DELETE on a table, whatever code (or person
with a SQL prompt) tries; for the records nothing may rewrite (hours ledger, audit log).
SQLite, the development database, relies on the model-level guards alone."""

from __future__ import annotations

from django.db import migrations

CREATE = """
CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    {allowance}
    RAISE EXCEPTION '{table} is append-only: {hint} %', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
# The one UPDATE let through: `column` set to NULL and nothing else changed, which is what
# Django does to a row whose foreign key target is deleted (on_delete=SET_NULL).
ALLOW_CLEARING = """IF TG_OP = 'UPDATE' AND NEW.{column} IS NULL
       AND to_jsonb(NEW) - '{column}' = to_jsonb(OLD) - '{column}' THEN
        RETURN NEW;
    END IF;"""
DROP = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def append_only(table: str, hint: str, *, may_clear: str = "") -> migrations.RunPython:
    """The migration operation that adds (or, reversed, drops) the trigger on `table`;
    `hint` says what to do instead, followed by the refused operation's name; `may_clear`
    names a SET_NULL foreign key column that may still be cleared."""
    allowance = ALLOW_CLEARING.format(column=may_clear) if may_clear else ""

    def run(sql: str):
        def operation(apps: object, schema_editor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                text = sql.format(table=table, hint=hint, allowance=allowance)
                schema_editor.execute(text, params=None)

        return operation

    return migrations.RunPython(run(CREATE), run(DROP))
