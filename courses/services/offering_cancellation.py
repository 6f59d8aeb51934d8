"""Cancelling an offering (the provider's decision, not a learner's): registration stops at
once, every confirmed seat gets back all it paid whatever the refund tiers say, holds and
the waitlist close, and each learner is emailed with the reason. Seats are settled one per
transaction, so a refund Stripe refuses leaves the others done; settling again finishes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import stripe
from django.db import transaction
from wagtail.log_actions import log

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError, reason_given
from ..models import Enrollment, Offering, Refund
from ..refunds import offering_cancellation_refund
from ..tasks import offering_cancelled_send
from .cancellation import refund_send
from .enrollment import _offering_locked
from .locking import seat_lock

CANCEL_LOG_ACTION = "dn.offering.cancelled"
SETTLE_LOG_ACTION = "dn.offering.settled"
REASON_NEEDED = "Give a reason: the learners read it in their email."
NOT_CANCELLABLE = "This offering is {status}: there is nothing to cancel."
STARTED = "This offering started on {date}: it can no longer be cancelled."
NOT_CANCELLED = "Only a cancelled offering's places are settled; this one is not cancelled."
LIVE = (
    Enrollment.Status.CONFIRMED, Enrollment.Status.HELD, Enrollment.Status.OFFERED,
    Enrollment.Status.WAITLISTED,
)  # fmt: skip


@dataclass
class Settlement:
    refunds: list[Refund] = field(default_factory=list)
    closed: int = 0  # enrollments ended without a refund (holds, waitlist, unpaid seats)
    failed: list[str] = field(default_factory=list)  # learners whose refund Stripe refused


def offering_cancel(
    *, registrar: User, offering_id: int, reason: str, now: dt.datetime
) -> Settlement:
    reason = reason_given(reason, REASON_NEEDED)
    with transaction.atomic():
        offering = _offering_locked(offering_id)
        if offering.status in (Offering.Status.CANCELLED, Offering.Status.COMPLETED):
            status = offering.get_status_display().lower()
            raise EnrollmentError([NOT_CANCELLABLE.format(status=status)])
        if offering.has_started(now):
            raise EnrollmentError([STARTED.format(date=f"{offering.dates[0]:%-d %B %Y}")])
        offering.status = Offering.Status.CANCELLED
        offering.save(update_fields=["status"])
        log(instance=offering, action=CANCEL_LOG_ACTION, user=registrar, data={"reason": reason})
    return _settle_all(offering_id, registrar, reason)


def offering_settle(*, registrar: User, offering_id: int, reason: str) -> Settlement:
    """Settle again what a first run left (a refund Stripe refused): only for an offering
    that is cancelled, and logged like the cancellation."""
    reason = reason_given(reason, REASON_NEEDED)
    with transaction.atomic():
        offering = _offering_locked(offering_id)
        if offering.status != Offering.Status.CANCELLED:
            raise EnrollmentError([NOT_CANCELLED])
        log(instance=offering, action=SETTLE_LOG_ACTION, user=registrar, data={"reason": reason})
    return _settle_all(offering_id, registrar, reason)


def _settle_all(offering_id: int, registrar: User, reason: str) -> Settlement:
    """End every live enrollment of a cancelled offering, one per transaction."""
    settlement = Settlement()
    pending = Enrollment.objects.filter(offering_id=offering_id, status__in=LIVE)
    for pk in pending.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                _settle_one(pk, registrar, reason, settlement)
        except stripe.StripeError:
            learner = Enrollment.objects.select_related("learner").get(pk=pk).learner
            settlement.failed.append(learner.email)
    return settlement


def _settle_one(pk: int, registrar: User, reason: str, settlement: Settlement) -> None:
    locked = seat_lock(enrollment_id=pk)
    payment, enrollment = locked.payment, locked.seat
    if enrollment.status not in LIVE:
        return  # settled meanwhile
    due = offering_cancellation_refund(selectors.payment_balance(payment)) if payment else None
    if enrollment.status == Enrollment.Status.CONFIRMED and due and due.amount_cents:
        refund = refund_send(
            payment, due.amount_cents, registrar, source=Refund.Source.OFFERING,
            reason=f"The offering was cancelled: {reason}",
            idempotency_key=f"dn-offering-cancelled-{pk}-{due.amount_cents}",
        )  # fmt: skip
        settlement.refunds.append(refund)
        enrollment.status = Enrollment.Status.REFUNDED
    else:
        settlement.closed += 1
        enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    transaction.on_commit(lambda: offering_cancelled_send.enqueue(enrollment_id=pk, reason=reason))
