"""`manage.py recover_tasks`: fail tasks a killed worker left RUNNING (config/task_recovery.py).

Run it before starting workers. With one worker (`make run`) every RUNNING task is stale:
`--older-than 0`. With several, give a cutoff longer than any task takes (the default, 60
minutes), so tasks that live workers are running are left alone.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from config.task_recovery import stale_tasks_fail


def _minutes(value: str) -> int:
    try:
        minutes = int(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a whole number of minutes.") from None
    if minutes < 0:
        raise ArgumentTypeError("--older-than cannot be negative.")
    return minutes


class Command(BaseCommand):
    help = "Mark FAILED the tasks left RUNNING by a worker that stopped mid-task."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=_minutes,
            default=60,
            metavar="MINUTES",
            help="only tasks a worker took at least this long ago (default: 60)",
        )

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(minutes=older_than)
        failed = stale_tasks_fail(started_before=cutoff)
        self.stdout.write(f"{failed} stale running task(s) marked failed.")
