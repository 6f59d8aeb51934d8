"""`manage.py send_reminders`: queue the 7-day and 1-day reminders due today. Run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from config.dates import provider_today
from courses.services.reminders import reminders_send_due


class Command(BaseCommand):
    help = "Email learners whose course starts in 7 days or tomorrow (each reminder once)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = reminders_send_due(today=provider_today())
        if queued or options["verbosity"] > 1:
            self.stdout.write(f"{queued} reminder(s) queued.")
