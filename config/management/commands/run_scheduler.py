"""`manage.py run_scheduler`: the one process that runs the periodic jobs (config/scheduler.py).
Run one per site; a second one (a deploy overlapping, another machine) is harmless."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from config.scheduler import JOBS, jobs_run_due, scheduler_name

logger = logging.getLogger("dntracker.scheduler")


class Command(BaseCommand):
    help = "Run expire_holds, reconcile_payments and the reminders, each once per slot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0,
            help="Seconds between looks for a due job (default 5).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        name = scheduler_name()
        jobs = ", ".join(f"{job.command} every {job.every}" for job in JOBS)
        logger.info("scheduler %s started: %s", name, jobs, extra={"scheduler": name})
        while not stop.is_set():
            jobs_run_due(now=timezone.now(), scheduler=name)
            if options["once"]:
                return
            stop.wait(options["interval"])
            close_old_connections()  # as after a request: no connection kept past its age
