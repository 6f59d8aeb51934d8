"""A task a killed worker left RUNNING is marked FAILED, in the real task table."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tasks import email_send
from config.task_recovery import WorkerLostError

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _task(*, running_since: dt.timedelta | None) -> DBTaskResult:
    """An email task in the table: READY, or taken by a worker that long ago."""
    result = email_send.enqueue(subject="Hello", body="Hi", to=["a@example.test"])
    row = DBTaskResult.objects.get(id=result.id)
    if running_since is not None:
        row.claim("worker-that-was")
        DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - running_since)
    return row


def _recover(*args: str) -> str:
    out = io.StringIO()
    call_command("recover_tasks", *args, stdout=out)
    return out.getvalue()


@override_settings(TASKS=DATABASE_TASKS)
def test_it_fails_tasks_left_running_past_the_cutoff_and_leaves_the_rest():
    abandoned = _task(running_since=dt.timedelta(hours=3))
    in_progress = _task(running_since=dt.timedelta(minutes=5))
    waiting = _task(running_since=None)

    output = _recover("--older-than", "60")

    assert output.strip() == "1 stale running task(s) marked failed."
    abandoned.refresh_from_db()
    assert abandoned.status == "FAILED"
    assert abandoned.finished_at is not None
    assert abandoned.task_result.errors[0].exception_class is WorkerLostError
    assert DBTaskResult.objects.get(id=in_progress.id).status == "RUNNING"
    assert DBTaskResult.objects.get(id=waiting.id).status == "READY"


@override_settings(TASKS=DATABASE_TASKS)
def test_a_single_worker_start_fails_every_running_task():
    _task(running_since=dt.timedelta(seconds=1))

    _recover("--older-than", "0")

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.parametrize("value", ["-5", "soon"])
def test_it_refuses_a_bad_cutoff_and_changes_nothing(value):
    abandoned = _task(running_since=dt.timedelta(hours=3))

    with pytest.raises(CommandError, match="cannot be negative|not a whole number"):
        _recover("--older-than", value)

    assert DBTaskResult.objects.get(id=abandoned.id).status == "RUNNING"
