"""On PostgreSQL the database itself refuses UPDATE and DELETE on the hours ledger, whatever
code (or person with a SQL prompt) tries."""

from django.db import migrations

CREATE = """
CREATE FUNCTION learners_hoursentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'learners_hoursentry is append-only: record a correction instead of %', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER learners_hoursentry_append_only
    BEFORE UPDATE OR DELETE ON learners_hoursentry
    FOR EACH ROW EXECUTE FUNCTION learners_hoursentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS learners_hoursentry_append_only ON learners_hoursentry;
DROP FUNCTION IF EXISTS learners_hoursentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("learners", "0005_hours_ledger")]
    operations = [migrations.RunPython(forwards, backwards)]
