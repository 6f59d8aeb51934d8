"""Money and records of what happened are kept (config/append_only.py): no DELETE or
TRUNCATE of payments, refunds, assessment results or catalog history. A refund's status and
Stripe id are set once, while it is pending (cancellation.refund_send); every other column of
a refund, and any column of an assessment result, never changes (a new result is a new row).
History rows keep every column but the change reason, which simple-history's
update_change_reason fills in once, and the editor, cleared if their account is deleted.
A payment's state follows Stripe, so its columns may change; it is never deleted."""

from django.db import migrations

from config.append_only import EVERY_COLUMN, append_only

HISTORY = ["course", "ceuapproval", "venue", "offering", "courseday", "refundtier"]


class Migration(migrations.Migration):
    dependencies = [("courses", "0014_payment_attempt_keys")]
    operations = [
        append_only("courses_payment", "payments are kept; refused:", may_change=EVERY_COLUMN),
        append_only("courses_refund", "a refund is a new row; refused:",
                    settles={"status": "pending", "stripe_refund_id": None}),
        append_only("courses_assessmentresult", "record a new result instead of"),
        *(append_only(f"courses_historical{model}", "history is never rewritten; refused:",
                      settles={"history_change_reason": None}, may_clear="history_user_id")
          for model in HISTORY),
    ]  # fmt: skip
