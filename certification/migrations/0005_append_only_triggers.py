"""Certificates and rule history are kept (config/append_only.py). A certificate is never
deleted; it changes only by its named transitions: revoke and reinstate (status, reason,
when, by whom) and a name correction (holder_name). Its number, code, issue date, hours and
evidence never change. Rule history keeps every column but the change reason, which
load_rules fills in once (update_change_reason), and the editor, cleared if their account
is deleted."""

from django.db import migrations

from config.append_only import append_only

CERTIFICATE_TRANSITIONS = [
    "status", "status_reason", "status_changed_at", "status_changed_by_id", "holder_name",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("certification", "0004_certification_program")]
    operations = [
        append_only("certification_certificate",
                    "revoke, reinstate or correct the name instead; refused:",
                    may_change=CERTIFICATE_TRANSITIONS),
        append_only("certification_historicaljurisdictionrule",
                    "history is never rewritten; refused:",
                    settles={"history_change_reason": None}, may_clear="history_user_id"),
    ]  # fmt: skip
