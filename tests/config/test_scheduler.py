"""The scheduler runs each periodic job once per slot, however many schedulers run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from config.models import ScheduledRun
from config.scheduler import JOBS, jobs_run_due
from courses.models import Enrollment
from courses.services.enrollment import enrollment_hold
from tests.courses.test_enrollment_hold import an_offering, licensed_learner

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 12, 0, 30, tzinfo=dt.UTC)
EVERY_MINUTE = {job.command for job in JOBS if job.every == dt.timedelta(minutes=1)}


class Recorder:
    """Stands in for call_command: which jobs a scheduler ran, in order."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def __call__(self, command: str) -> None:
        self.ran.append(command)


def test_it_runs_every_job_at_its_first_look():
    first = Recorder()

    runs = jobs_run_due(now=AT, scheduler="a:1", execute=first)

    assert first.ran == [job.command for job in JOBS]
    assert all(run.finished_at and not run.error for run in runs)


def test_a_second_scheduler_in_the_same_slot_runs_nothing():
    jobs_run_due(now=AT, scheduler="a:1", execute=Recorder())
    second = Recorder()

    jobs_run_due(now=AT + dt.timedelta(seconds=20), scheduler="b:2", execute=second)

    assert second.ran == []
    assert ScheduledRun.objects.filter(scheduler="b:2").count() == 0


def test_the_next_minute_runs_the_minute_jobs_again_and_the_hourly_ones_wait():
    jobs_run_due(now=AT, scheduler="a:1", execute=Recorder())
    later = Recorder()

    jobs_run_due(now=AT + dt.timedelta(minutes=1), scheduler="b:2", execute=later)

    assert set(later.ran) == EVERY_MINUTE
    assert ScheduledRun.objects.filter(job="expire_holds").count() == 2


def test_a_failing_job_is_recorded_and_the_others_still_run():
    ran = []

    def execute(command: str) -> None:
        ran.append(command)
        if command == "expire_holds":
            raise RuntimeError("database went away")

    jobs_run_due(now=AT, scheduler="a:1", execute=execute)

    assert ran == [job.command for job in JOBS]
    failed = ScheduledRun.objects.get(job="expire_holds")
    assert failed.error == "RuntimeError: database went away" and failed.finished_at


@pytest.mark.usefixtures("localstripe")
def test_run_scheduler_once_runs_the_real_jobs_and_releases_a_lapsed_hold():
    hold = enrollment_hold(learner=licensed_learner(), offering_id=an_offering().pk,
                           now=AT - dt.timedelta(hours=1))  # fmt: skip

    with time_machine.travel(AT, tick=False):
        call_command("run_scheduler", "--once")

    assert sorted(ScheduledRun.objects.values_list("job", "error")) == sorted(
        (job.command, "") for job in JOBS
    )
    hold.refresh_from_db()
    assert hold.status != Enrollment.Status.HELD
