"""Registrars read payments and refunds in the admin (refunds are issued by the refund
action, never by editing a row)."""

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions


def grant(apps, schema_editor):
    for model in ("payment", "refund"):
        grant_model_permissions(apps, "Registrar", "courses", model, ["view"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_refund_override")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
