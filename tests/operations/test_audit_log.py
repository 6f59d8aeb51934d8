"""The audit log is written once: no code path and no SQL changes or deletes
an entry; staff actions stay readable in the admin's Site history."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from operations.audit import AuditLogImmutableError

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(registrar):
    return log(instance=registrar, action="dn.export", user=registrar, data={"rows": 3})


def test_an_entry_cannot_be_edited_or_deleted_through_the_orm(entry):
    entry.data = {"rows": 0}
    with pytest.raises(AuditLogImmutableError, match="never changed"), transaction.atomic():
        entry.save()
    with pytest.raises(AuditLogImmutableError), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditLogImmutableError), transaction.atomic():
        ModelLogEntry.objects.all().delete()
    assert ModelLogEntry.objects.get(pk=entry.pk).data == {"rows": 3}


def test_page_entries_are_kept_the_same_way(registrar):
    page_entry = log(instance=Page.objects.get(depth=2), action="wagtail.edit", user=registrar)

    with pytest.raises(AuditLogImmutableError), transaction.atomic():
        PageLogEntry.objects.filter(pk=page_entry.pk).delete()
    assert PageLogEntry.objects.filter(pk=page_entry.pk).exists()


def test_the_database_itself_refuses_update_and_delete(entry):
    for sql in ("UPDATE wagtailcore_modellogentry SET action = 'x' WHERE id = %s",
                "DELETE FROM wagtailcore_modellogentry WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert ModelLogEntry.objects.get(pk=entry.pk).action == "dn.export"


def test_deleting_a_content_type_still_clears_its_entries_pointer(registrar):
    stale = ContentType.objects.create(app_label="gone", model="removed")
    entry = ModelLogEntry.objects.create(
        content_type=stale, object_id="1", label="A removed model", action="dn.export",
        timestamp=timezone.now(), user=registrar,
    )  # fmt: skip

    stale.delete()

    entry = ModelLogEntry.objects.get(pk=entry.pk)
    assert (entry.content_type_id, entry.action) == (None, "dn.export")
