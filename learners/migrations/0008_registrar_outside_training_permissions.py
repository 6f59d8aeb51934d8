"""Registrars read outside training in the admin; they decide on it only on the review page."""

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Registrar", "learners", "outsidetraining", ["view"])


class Migration(migrations.Migration):
    dependencies = [("learners", "0007_outside_training"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
