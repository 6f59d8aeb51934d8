"""`manage.py send_license_reminders` (daily): email the holder of each verified license that
expires within 60 days, once per license."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from config.dates import provider_today
from learners.expiry import expiry_reminders_queue


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count = expiry_reminders_queue(today=provider_today())
        self.stdout.write(f"License expiry reminders queued: {count}.")
