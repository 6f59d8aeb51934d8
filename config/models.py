"""The scheduler's record of which periodic job ran in which slot (config/scheduler.py)."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    """One periodic job in one time slot. The unique (job, slot) row is the claim: whichever
    scheduler inserts it runs the job, every other one finds it taken and moves on."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="Start of the slot, in UTC.")
    scheduler = models.CharField(max_length=200, help_text="host:pid of the scheduler.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the run failed; empty when it did not.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]
        ordering = ["-slot", "job"]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
