"""An export built in the task worker (XLSX; issue 17): who asked, for what, and the file once
it is ready. Only the registrar who asked may see or download it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ExportFile(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted"  # its file, after EXPORT_FILE_DAYS; the row stays

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # unguessable
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    report = models.CharField(max_length=40)
    file_format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    file = models.FileField(upload_to="exports/", blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.report}.{self.file_format} ({self.get_status_display()})"
