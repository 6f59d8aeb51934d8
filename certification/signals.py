"""Re-evaluate a learner's certification whenever an input changes (DESIGN.md 3.4): a course
completed, a license verified, a ledger correction. Through the task worker, after commit."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Enrollment
from learners.models import HoursEntry, License

from .programs import certificates_evaluate


def _evaluate_later(learner_id: int) -> None:
    transaction.on_commit(lambda: certificates_evaluate.enqueue(learner_id=learner_id))


@receiver(post_save, sender=Enrollment)
def enrollment_saved(sender: type, instance: Enrollment, **kwargs: object) -> None:
    if instance.status == Enrollment.Status.COMPLETED:
        _evaluate_later(instance.learner_id)


@receiver(post_save, sender=License)
def license_saved(sender: type, instance: License, **kwargs: object) -> None:
    if instance.status == License.Status.VERIFIED:
        _evaluate_later(instance.learner_id)


@receiver(post_save, sender=HoursEntry)
def hours_entry_saved(sender: type, instance: HoursEntry, created: bool, **kwargs: object) -> None:
    if created and instance.source == HoursEntry.Source.CORRECTION:
        _evaluate_later(instance.learner_id)
