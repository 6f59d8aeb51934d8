"""On PostgreSQL the database itself refuses UPDATE and DELETE on the hours ledger."""

from django.db import migrations

from config.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("learners", "0005_hours_ledger")]
    operations = [
        append_only("learners_hoursentry", "record a correction instead of"),
    ]
