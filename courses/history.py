"""History for an offering's days and refund tiers and a course's CEU approvals: each row
keeps its versions like its parent does, with the parent's id on them. simple-history
cannot copy a ParentalKey onto its history model, so the key is left out and the parent's
id is written beside it."""

from __future__ import annotations

from typing import Any

from django.db import models
from modelcluster.fields import ParentalKey
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class ParentRef(models.Model):
    parent_id = models.PositiveIntegerField(null=True, db_index=True)

    class Meta:
        abstract = True


def child_history(parent_field: str) -> HistoricalRecords:
    return HistoricalRecords(excluded_fields=[parent_field, "sort_order"], bases=[ParentRef])


def _parent_ref(sender: type, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    if isinstance(history_instance, ParentRef):
        key = next(f for f in instance._meta.fields if isinstance(f, ParentalKey))
        history_instance.parent_id = getattr(instance, key.attname)


pre_create_historical_record.connect(_parent_ref, dispatch_uid="courses-history-parent-ref")
