"""Each payment attempt keeps its idempotency key and card, committed before Stripe is
called (issue 14, item 2). Earlier payments keep NULL: they are never retried."""

import django.db.models
from django.db import migrations

import courses.models


class Migration(migrations.Migration):
    dependencies = [("courses", "0013_offering_cancellation_refunds")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="idempotency_key",
            field=django.db.models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="payment",
            name="idempotency_key",
            field=django.db.models.CharField(
                default=courses.models._new_key,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="card_id",
            field=django.db.models.CharField(
                blank=True, default="", editable=False, max_length=255
            ),
            preserve_default=False,
        ),
    ]
