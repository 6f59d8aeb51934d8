"""The Certification in Dry Needling as data (DESIGN.md 3.4): DN-1 and DN-2, 54 hours from
them within 12 months, a verified license. Registrars read programs and certificates in the
admin; they change certificates only through the revoke, reinstate and rename actions."""

from decimal import Decimal

from django.db import migrations

from accounts.migration_helpers import grant_model_permissions


def create(apps, schema_editor):
    Program = apps.get_model("certification", "Program")
    Course = apps.get_model("courses", "Course")
    program, _ = Program.objects.get_or_create(
        code="CDN",
        defaults={"name": "Certification in Dry Needling", "min_hours": Decimal(54),
                  "window_months": 12, "requires_verified_license": True},
    )  # fmt: skip
    program.required_courses.add(*Course.objects.filter(code__in=["DN-1", "DN-2"]))
    grant_model_permissions(apps, "Registrar", "certification", "program", ["view", "change"])
    grant_model_permissions(apps, "Registrar", "certification", "certificate", ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_programs_and_certificates"),
        ("courses", "0009_rosters_and_assessments"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
