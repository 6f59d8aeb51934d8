"""`manage.py expire_holds`: release lapsed seat holds and offer the seats down the waitlist.
Run it every minute (cron, a systemd timer; `make run` loops it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from courses.services.waitlist import holds_expire


class Command(BaseCommand):
    help = "Release seat holds that have expired and offer freed seats to the waitlist."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = holds_expire(now=timezone.now())
        if lapsed or options["verbosity"] > 1:
            self.stdout.write(f"{lapsed} seat hold(s) released.")
