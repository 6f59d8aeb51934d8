"""Two schedulers look for due jobs at the same moment on PostgreSQL: each job runs once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from django.db import connections

from config.models import ScheduledRun
from config.scheduler import JOBS, jobs_run_due
from tests.concurrency import RACES_ON_POSTGRESQL

pytestmark = RACES_ON_POSTGRESQL

AT = dt.datetime(2026, 11, 23, 12, 0, 30, tzinfo=dt.UTC)


def test_two_schedulers_at_once_run_each_job_once():
    ran: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def execute(command: str) -> None:
        with lock:
            ran[command] += 1

    def scheduler(name: str) -> None:
        try:
            barrier.wait()
            jobs_run_due(now=AT, scheduler=name, execute=execute)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler, args=(f"host:{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert ran == Counter({job.command: 1 for job in JOBS})
    assert ScheduledRun.objects.count() == len(JOBS)
