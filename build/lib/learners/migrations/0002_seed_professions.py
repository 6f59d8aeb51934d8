"""The professions DESIGN.md 1 names; reference data every environment needs."""

from django.db import migrations

PROFESSIONS = [
    ("PT", "Physical therapist"),
    ("PTA", "Physical therapist assistant"),
    ("ATC", "Athletic trainer"),
    ("DC", "Chiropractor"),
    ("MD", "Physician (MD)"),
    ("DO", "Physician (DO)"),
    ("DDS", "Dentist"),
    ("NP", "Nurse practitioner"),
    ("PA", "Physician assistant"),
    ("OT", "Occupational therapist"),
    ("LAc", "Licensed acupuncturist"),
]


def create_professions(apps, schema_editor):
    Profession = apps.get_model("learners", "Profession")
    for code, name in PROFESSIONS:
        Profession.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("learners", "0001_professions")]
    operations = [migrations.RunPython(create_professions, migrations.RunPython.noop)]
