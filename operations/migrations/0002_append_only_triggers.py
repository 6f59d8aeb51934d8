"""The audit log's guard, extended (config/append_only.py): TRUNCATE refused on PostgreSQL,
and UPDATE and DELETE refused on SQLite too; reversing keeps the guard (0001 owns it)."""

from django.db import migrations

from config.append_only import append_only

HINT = "the audit log is never changed;"


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_audit_log_append_only")]
    operations = [
        migrations.RunPython(append_only(table, HINT, may_clear="content_type_id").code,
                             migrations.RunPython.noop)
        for table in ("wagtailcore_modellogentry", "wagtailcore_pagelogentry")
    ]  # fmt: skip
