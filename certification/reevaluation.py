"""Re-evaluating every learner for every certification program (issue 17), in batches: each
batch reads its learners' completed courses, licenses and hours in three queries per program,
measures them with the same `program_progress` as one learner's evaluation, and hands those
who qualify to `certificate_issue_if_due`, which checks again under the learner's lock and
issues once. Batches are independent tasks, so several workers may share the run.

Eligibility for the states (the self-check) is computed when asked and never stored; a rule
change re-evaluates the learners licensed there in these same batches (rule_notices.py)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.tasks import task

from accounts.models import User
from config.dates import provider_today

from .models import Certificate, Program
from .programs import certificate_issue_if_due, learners_progress

BATCH_SIZE = 1000
MAX_BATCH_SIZE = 10_000


def learner_batches(
    *, size: int = BATCH_SIZE, learners: QuerySet[User] | None = None
) -> Iterator[list[int]]:
    """Every account's id (or those of `learners`), in ascending batches of `size` (keyset
    pagination: no OFFSET)."""
    accounts = User.objects.all() if learners is None else learners
    last = 0
    while batch := list(
        accounts.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
    ):
        yield batch
        last = batch[-1]


def certificates_reevaluate_batch(*, learner_ids: list[int], program_ids: list[int]) -> list[str]:
    """Issue the certificates these learners now qualify for; returns their numbers."""
    today, issued = provider_today(), []
    programs = Program.objects.filter(pk__in=program_ids).prefetch_related("required_courses")
    for program in programs:
        holders = set(
            Certificate.objects.filter(program=program, learner_id__in=learner_ids).values_list(
                "learner_id", flat=True
            )
        )  # a revoked certificate is reinstated by a registrar, never replaced
        candidates = [pk for pk in learner_ids if pk not in holders]
        for learner_id, progress in learners_progress(candidates, program, today=today).items():
            if progress.complete:
                certificate = certificate_issue_if_due(learner_id=learner_id, program_id=program.pk)
                if certificate:
                    issued.append(certificate.number)
    return issued


@task()
def certificates_reevaluate_batch_task(
    *, learner_ids: list[int], program_ids: list[int]
) -> list[str]:
    return certificates_reevaluate_batch(learner_ids=learner_ids, program_ids=program_ids)


@task()
def certificates_reevaluate_all(*, program_ids: list[int], batch_size: int = BATCH_SIZE) -> int:
    """Enqueue one task per batch of learners, for the workers to share; returns how many."""
    batches = 0
    for batch in learner_batches(size=batch_size):
        certificates_reevaluate_batch_task.enqueue(learner_ids=batch, program_ids=program_ids)
        batches += 1
    return batches
