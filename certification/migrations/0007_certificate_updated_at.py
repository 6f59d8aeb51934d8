"""A certificate's `updated_at`, renewed by every save (config/stamps.py) for the signed-in
pages' fingerprints. The certificate's guard (0005) is installed again: it lets the stamp
change with the named transitions, and SQLite's ALTER TABLE, which rebuilds the table, drops
triggers."""

import django.db.models.functions.datetime
from django.db import migrations, models

from config.append_only import append_only

CERTIFICATE_TRANSITIONS = [
    "status", "status_reason", "status_changed_at", "status_changed_by_id", "holder_name",
]  # fmt: skip
HINT = "revoke, reinstate or correct the name instead; refused:"
# Going back, 0005's guard is installed again rather than none.
STAMPED = append_only("certification_certificate", HINT,
                      may_change=[*CERTIFICATE_TRANSITIONS, "updated_at"])  # fmt: skip
UNSTAMPED = append_only("certification_certificate", HINT, may_change=CERTIFICATE_TRANSITIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_evidence_packs"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.RunPython(STAMPED.code, UNSTAMPED.code),
    ]
