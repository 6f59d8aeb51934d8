"""Exports too large to build in a request: an XLSX is written by the task worker into
storage, and the registrar who asked downloads it from its page when it is ready. The export
is logged (who, which report, which filters, how many rows) when the file is made."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import asdict
from functools import partial

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.tasks import task
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User

from .exports import EXPORTS, Filters, export_xlsx
from .models import ExportFile

EXPORT_LOG_ACTION = "dn.export"


def export_log(*, user: User, report: str, file_format: str, filters: Filters, rows: int) -> None:
    log(instance=user, action=EXPORT_LOG_ACTION, user=user, data={
        "report": report, "format": file_format, "rows": rows,
        "personal_data": EXPORTS[report].personal,
        "filters": {k: str(v) for k, v in asdict(filters).items() if v},
    })  # fmt: skip


def export_file_request(*, user: User, report: str, filters: Filters) -> ExportFile:
    """Record the request and have the worker build the XLSX once it commits."""
    export = ExportFile.objects.create(
        requested_by=user, report=report, file_format="xlsx",
        filters={k: str(v) if v else "" for k, v in asdict(filters).items()},
    )  # fmt: skip
    transaction.on_commit(lambda: export_file_build.enqueue(export_id=str(export.pk)))
    return export


def export_files_expire(*, now: dt.datetime) -> int:
    """Delete the files of exports made more than EXPORT_FILE_DAYS ago (they hold personal
    data, and storage is not an archive) and mark them deleted; the export's record and its
    log entry stay. Returns how many. Safe to run any number of times, and concurrently."""
    cutoff = now - dt.timedelta(days=settings.EXPORT_FILE_DAYS)
    expired = 0
    for export in ExportFile.objects.filter(status=ExportFile.Status.READY, finished_at__lt=cutoff):
        claimed = ExportFile.objects.filter(pk=export.pk, status=ExportFile.Status.READY)
        if not claimed.update(status=ExportFile.Status.EXPIRED, file=""):
            continue  # another run took it
        transaction.on_commit(partial(default_storage.delete, export.file.name))
        expired += 1
    return expired


def export_file_get_for_user(*, user: User, pk: str) -> ExportFile:
    """The user's own export; anyone else's (another registrar's too) is a 404."""
    return get_object_or_404(ExportFile, pk=pk, requested_by=user)


def _filters(stored: dict) -> Filters:
    dates = {k: dt.date.fromisoformat(stored[k]) if stored[k] else None for k in ("start", "end")}
    return Filters(dates["start"], dates["end"], stored["course"], stored["state"])


@task()
def export_file_build(*, export_id: str) -> int:
    """Write the workbook to a temporary file, then into storage; returns its rows."""
    export = ExportFile.objects.select_related("requested_by").get(pk=export_id)
    filters = _filters(export.filters)
    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as scratch:
            rows = export_xlsx(EXPORTS[export.report], filters, scratch.name)
            export.file.save(f"{export.report}-{export.pk}.xlsx", File(scratch), save=False)
    except Exception:
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED, finished_at=timezone.now()
        )
        raise
    export.status, export.rows, export.finished_at = ExportFile.Status.READY, rows, timezone.now()
    export.save(update_fields=["file", "status", "rows", "finished_at"])
    export_log(user=export.requested_by, report=export.report, file_format="xlsx",
               filters=filters, rows=rows)  # fmt: skip
    return rows
