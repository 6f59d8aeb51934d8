"""The hours ledger's guard, extended (config/append_only.py): TRUNCATE refused on
PostgreSQL, and UPDATE and DELETE refused on SQLite too. Re-run here because SQLite's table
rebuilds since 0006 dropped its triggers; reversing keeps the guard (0006 owns it)."""

from django.db import migrations

from config.append_only import append_only

guard = append_only("learners_hoursentry", "record a correction instead of")


class Migration(migrations.Migration):
    dependencies = [("learners", "0010_license_expiry_reminders")]
    operations = [migrations.RunPython(guard.code, migrations.RunPython.noop)]
