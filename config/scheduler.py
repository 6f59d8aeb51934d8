"""The periodic jobs and the rule that each runs once per slot (README "Production").

A slot is a job's period counted from the Unix epoch (each minute, each hour). A scheduler
claims a job's current slot by inserting its `ScheduledRun` row; the database's unique
(job, slot) constraint lets exactly one insert through, so two schedulers (a deploy that
overlaps, a second machine) never run a job twice in a slot, whatever their clocks or
timing. PostgreSQL is the one place that decides, as for everything else.

A scheduler that dies mid-run leaves its slot claimed; the next slot runs the job again,
and every job here is safe to repeat (each hold, reminder and payment is acted on once).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger("dntracker.scheduler")


@dataclass(frozen=True)
class Job:
    command: str  # a management command, also run by hand or from cron
    every: dt.timedelta


JOBS: tuple[Job, ...] = (
    Job("expire_holds", dt.timedelta(minutes=1)),  # a lapsed hold frees its seat at once
    Job("reconcile_payments", dt.timedelta(minutes=1)),
    # Daily in effect (each reminder goes once); hourly so a scheduler down at one hour
    # does not skip a day.
    Job("send_reminders", dt.timedelta(hours=1)),
    Job("send_license_reminders", dt.timedelta(hours=1)),
    Job("expire_export_files", dt.timedelta(hours=1)),
)


def scheduler_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_slot(*, job: Job, now: dt.datetime) -> dt.datetime:
    """The start of the slot `now` falls in (UTC)."""
    period = job.every.total_seconds()
    return dt.datetime.fromtimestamp(now.timestamp() // period * period, tz=dt.UTC)


def job_claim(*, job: Job, slot: dt.datetime, scheduler: str) -> ScheduledRun | None:
    """Claim `job`'s `slot` for `scheduler`; None when another scheduler already has it."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job.command, slot=slot, scheduler=scheduler, started_at=timezone.now()
            )
    except IntegrityError:
        return None


def job_run(*, run: ScheduledRun, execute: Callable[[str], object]) -> None:
    """Run a claimed job and record how it ended; a failure is logged, not raised, so the
    other jobs still run."""
    started = time.monotonic()
    try:
        execute(run.job)
    except Exception as error:
        run.error = f"{type(error).__name__}: {error}"
        logger.exception("scheduled job %s failed", run.job, extra={"job": run.job})
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "error"])
    logger.info(
        "scheduled job %s %s",
        run.job,
        "failed" if run.error else "done",
        extra={
            "job": run.job,
            "slot": run.slot.isoformat(),
            "status": "failed" if run.error else "done",
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )


def jobs_run_due(
    *,
    now: dt.datetime,
    scheduler: str,
    jobs: tuple[Job, ...] = JOBS,
    execute: Callable[[str], object] = call_command,
) -> list[ScheduledRun]:
    """Run every job whose current slot no scheduler has claimed yet; return the runs."""
    runs = []
    for job in jobs:
        if run := job_claim(job=job, slot=job_slot(job=job, now=now), scheduler=scheduler):
            job_run(run=run, execute=execute)
            runs.append(run)
    return runs
