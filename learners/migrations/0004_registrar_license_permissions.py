"""Registrars read licenses in the admin; they change them only through the review page."""

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Registrar", "learners", "license", ["view"])


class Migration(migrations.Migration):
    dependencies = [("learners", "0003_profiles_and_licenses"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
