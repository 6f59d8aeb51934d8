"""Logs as one JSON object a line (README "Production"): what happened, and for which
request or task, so a line from any process can be followed back to its request.

The request id and the task id live in context variables that `LogContextFilter` copies
onto every record; `RequestLogMiddleware` (config/request_log.py) sets the first, the task
signals below the second, and each writes one line when its request or task ends.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from typing import Any

from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished, task_started

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
_task_started_at: ContextVar[float | None] = ContextVar("task_started_at", default=None)

task_logger = logging.getLogger("dntracker.task")


class LogContextFilter(logging.Filter):
    """Stamp the current request's or task's id on every record logged while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("request_id", request_id_var), ("task_id", task_id_var)):
            if (value := var.get()) is not None and not hasattr(record, name):
                setattr(record, name, value)
        return True


class MinLevelFilter(logging.Filter):
    """Let through records at `level` or above only. For `django.tasks`, whose level
    `db_worker` forces to INFO: its started/finished lines would double ours, its errors
    (with the traceback) stay."""

    def __init__(self, level: str = "WARNING") -> None:
        super().__init__()
        self.level = logging.getLevelNamesMapping()[level]

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


def _task_run_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    task_id_var.set(str(task_result.id))
    _task_started_at.set(time.monotonic())


def _task_run_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """One line per task run: which task, how it ended, how long it took."""
    started = _task_started_at.get()
    failed = task_result.status == TaskResultStatus.FAILED
    task_logger.log(
        logging.ERROR if failed else logging.INFO,
        "task %s",
        task_result.status.lower(),
        extra={
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
            "status": str(task_result.status),
            "duration_ms": round((time.monotonic() - started) * 1000, 1) if started else None,
            "attempt": len(task_result.worker_ids),
        },
    )
    task_id_var.set(None)
    _task_started_at.set(None)


task_started.connect(_task_run_started, dispatch_uid="dntracker.task_run_started")
task_finished.connect(_task_run_finished, dispatch_uid="dntracker.task_run_finished")
