"""Tasks a dead worker left behind (DESIGN.md 5: background work on `db_worker`).

`db_worker` marks a task RUNNING when it takes it and FAILED or SUCCESSFUL when it ends; a
worker killed in between (deploy, out of memory, power) leaves the row RUNNING forever,
and no other worker takes it. Such rows are marked FAILED, not run again: the task may
have done part of its work (an email sent), and a failure is visible in the task results
(Django's admin) where someone can decide to enqueue it again.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class WorkerLostError(Exception):
    """The worker running the task stopped before the task finished."""


WORKER_LOST_TRACEBACK = (
    "WorkerLostError: the worker running this task stopped before it finished "
    "(marked by `manage.py recover_tasks`). It may have done part of its work; "
    "enqueue it again if it is still needed.\n"
)


def stale_tasks_fail(*, started_before: dt.datetime) -> int:
    """Mark FAILED every task still RUNNING that a worker took before `started_before`;
    return how many. The cutoff must be older than any live worker's running task."""
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=started_before)
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{__name__}.{WorkerLostError.__qualname__}",
            traceback=WORKER_LOST_TRACEBACK,
        )
    )
