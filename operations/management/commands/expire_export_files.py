"""`manage.py expire_export_files`: delete the files of prepared exports older than
EXPORT_FILE_DAYS (operations/export_files.py); run hourly by the scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from operations.export_files import export_files_expire


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        expired = export_files_expire(now=timezone.now())
        self.stdout.write(f"{expired} export file(s) deleted.")
