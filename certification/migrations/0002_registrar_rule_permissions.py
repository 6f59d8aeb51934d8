"""Registrars read, add and edit state rules in the admin; nobody deletes one (history keeps
every version)."""

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(
        apps, "Registrar", "certification", "jurisdictionrule", ["view", "add", "change"]
    )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_jurisdiction_rules"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
