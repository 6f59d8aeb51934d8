"""The audit log (Wagtail's log entries) is written once: the ORM refuses to save an
existing entry or delete one, on every database; PostgreSQL also refuses it in SQL
(operations migration 0001)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete, pre_save
from wagtail.models import ModelLogEntry, PageLogEntry


class AuditLogImmutableError(Exception):
    pass


def _refuse_change(sender: type, instance: Any, **kwargs: Any) -> None:
    if not instance._state.adding:
        raise AuditLogImmutableError("The audit log is never changed: entries are only added.")


def _refuse_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    raise AuditLogImmutableError("The audit log is never changed: entries are not deleted.")


def connect_guards() -> None:
    for model in (ModelLogEntry, PageLogEntry):
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
        pre_delete.connect(
            _refuse_delete, sender=model, dispatch_uid=f"audit-delete-{model.__name__}"
        )
