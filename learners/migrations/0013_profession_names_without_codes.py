"""Physicians' names no longer carry their code: labels add it ("Physician (MD) (MD)")."""

from django.db import migrations

NAMES = {"MD": ("Physician (MD)", "Medical doctor"), "DO": ("Physician (DO)", "Osteopathic physician")}


def rename(apps, schema_editor, *, forward: bool = True):
    Profession = apps.get_model("learners", "Profession")
    for code, (old, new) in NAMES.items():
        before, after = (old, new) if forward else (new, old)
        Profession.objects.filter(code=code, name=before).update(name=after)


def unrename(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("learners", "0012_license_status_expiry_index")]
    operations = [migrations.RunPython(rename, unrename)]
