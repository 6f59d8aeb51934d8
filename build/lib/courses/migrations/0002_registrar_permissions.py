"""Registrars run the catalog from the Wagtail admin. Nothing here is deleted: an offering
is cancelled, not removed, so no delete permission is given."""

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions

CATALOG_MODELS = ["course", "venue", "offering"]


def grant(apps, schema_editor):
    for model in CATALOG_MODELS:
        grant_model_permissions(apps, "Registrar", "courses", model, ["add", "change", "view"])
    grant_model_permissions(apps, "Registrar", "courses", "enrollment", ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
