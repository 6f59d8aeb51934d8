"""Registrar decisions about learners' records, each kept with who, when and why, and
written to the admin's audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User
from config.dates import provider_date, provider_today
from config.errors import ApplicationError

from .ledger import LedgerError, hours_entry_record
from .models import HoursEntry, License, OutsideTraining, RuleChangeNotice

REJECT_REASON_NEEDED = "Say why the license is rejected: the learner sees the reason."
LICENSE_REVIEW_LOG_ACTION = "dn.license.reviewed"


class ReviewError(ApplicationError):
    """A registrar's review could not be recorded."""

    code = "review_refused"


@transaction.atomic
def license_review(*, registrar: User, license_id: int, verified: bool, reason: str) -> License:
    """Verify or reject a license; a rejection needs a reason."""
    license = License.objects.select_for_update().get(pk=license_id)
    if not verified and not reason.strip():
        raise ReviewError(REJECT_REASON_NEEDED)
    previous = license.status
    license.status = License.Status.VERIFIED if verified else License.Status.REJECTED
    license.status_changed_by = registrar
    license.status_changed_at = timezone.now()
    license.status_reason = reason.strip()
    license.save(
        update_fields=["status", "status_changed_by", "status_changed_at", "status_reason"]
    )
    log(instance=license, action=LICENSE_REVIEW_LOG_ACTION, user=registrar,
        data={"from": previous, "to": license.status, "reason": license.status_reason})  # fmt: skip
    return license


OUTSIDE_REVIEW_LOG_ACTION = "dn.outside_training.reviewed"
ALREADY_REVIEWED = "This training was already {status} on {when}."
REJECT_TRAINING_REASON_NEEDED = "Say why the training is rejected: the learner sees the reason."


@transaction.atomic
def outside_training_review(
    *, registrar: User, training_id: int, verified: bool, reason: str
) -> OutsideTraining:
    """Verify outside training (its hours enter the ledger, dated its last day: the in-person
    part and the online rest as separate entries) or reject it with a reason. Decided once."""
    training = OutsideTraining.objects.select_for_update().get(pk=training_id)
    if not training.awaiting_review:
        when = provider_date(training.reviewed_at)
        raise ReviewError(
            ALREADY_REVIEWED.format(
                status=training.get_status_display().lower(), when=f"{when:%-d %B %Y}"
            )
        )
    if not verified and not reason.strip():
        raise ReviewError(REJECT_TRAINING_REASON_NEEDED)
    training.status = (
        OutsideTraining.Status.VERIFIED if verified else OutsideTraining.Status.REJECTED
    )
    training.reviewed_by, training.reviewed_at = registrar, timezone.now()
    training.review_reason = reason.strip()
    training.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    if verified:
        parts = [
            (HoursEntry.Mode.IN_PERSON, training.in_person_hours),
            (HoursEntry.Mode.ONLINE, training.hours - training.in_person_hours),
        ]
        for mode, hours in parts:
            if hours > 0:
                try:
                    hours_entry_record(
                        learner=training.learner, date=training.ended_on, hours=hours,
                        mode=mode, source=HoursEntry.Source.OUTSIDE, recorded_by=registrar,
                        today=provider_today(), outside_training_id=training.pk,
                        note=training.review_reason,
                    )  # fmt: skip
                except LedgerError as error:  # e.g. the days already hold 24 hours
                    raise ReviewError(error.reasons) from error
    log(instance=training, action=OUTSIDE_REVIEW_LOG_ACTION, user=registrar,
        data={"to": training.status, "reason": training.review_reason})  # fmt: skip
    return training


LICENSE_NOT_PENDING = (
    "This license was already {status}: only the registrar changes it now. Contact them if "
    "something is wrong."
)
LICENSE_FIELDS = ("profession", "jurisdiction", "number", "issued_on", "expires_on")


def _pending_license_locked(*, learner: User, license_id: int) -> License:
    """The learner's own license, row-locked, while it awaits verification (a registrar's
    review and the learner's change cannot cross); another learner's raises DoesNotExist."""
    license = License.objects.select_for_update().get(pk=license_id, learner=learner)
    if not license.learner_may_change:
        raise ReviewError(LICENSE_NOT_PENDING.format(status=license.get_status_display().lower()))
    return license


@transaction.atomic
def license_correct(*, learner: User, license_id: int, changes: dict) -> License:
    """Correct a license that awaits verification (`changes`: a LicenseForm's cleaned data)."""
    license = _pending_license_locked(learner=learner, license_id=license_id)
    for field in LICENSE_FIELDS:
        setattr(license, field, changes[field])
    license.full_clean()
    license.save(update_fields=[*LICENSE_FIELDS])
    return license


@transaction.atomic
def license_withdraw(*, learner: User, license_id: int) -> None:
    """Take back a license that awaits verification; nothing was decided on it yet."""
    _pending_license_locked(learner=learner, license_id=license_id).delete()


def rule_notice_dismiss(*, learner: User, notice_id: int) -> bool:
    """Hide one of the learner's own rule-change notices from their dashboard (kept, with
    when); returns whether it was theirs and showing."""
    return bool(
        RuleChangeNotice.objects.filter(
            pk=notice_id, learner=learner, dismissed_at__isnull=True
        ).update(dismissed_at=timezone.now())
    )
