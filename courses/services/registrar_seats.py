"""Seats a registrar arranges (DESIGN.md 1: registrars run seats and waitlists): offer a
learner a seat to pay for online, give a complimentary one, or move a confirmed seat to
another offering, of any course, settling a price difference. Capacity always holds; the
registration window does not bind a registrar. Each with a reason, kept on the seat and
logged."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import models, transaction
from wagtail.log_actions import log

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError, reason_given
from ..gate import placement_refusals
from ..models import Enrollment, Offering, Payment, Refund
from ..money import format_money
from ..refunds import seat_move_difference
from ..tasks import enrollment_confirmation_send, seat_offer_send
from .cancellation import refund_send
from .enrollment import OFFERING_FULL, _offering_locked
from .locking import seat_lock
from .waitlist import waitlist_offer_next

ARRANGE_LOG_ACTION = "dn.seat.arranged"
MOVE_LOG_ACTION = "dn.seat.moved"

REASON_NEEDED = "Give a reason: it is kept with the seat."
LEARNER_REFUSED = "The learner would be told: “{reason}”"
NOT_SEATING = "This offering is {status}: it takes no learners."
STARTED = "This offering started on {date}: choose one that has not started."
NOT_MOVABLE = "Only a confirmed seat can be moved ({status})."
SAME_OFFERING = "The learner is already in this offering."
CURRENCY_DIFFERS = "That offering is priced in {target}; the payment was in {paid}."
COSTS_MORE = (
    "That offering costs {price}; {kept} was paid. Waive the {difference} difference to move "
    "the learner anyway (this system does not collect it)."
)


class Arrangement(models.TextChoices):
    OFFER = "offer", "Offer a seat: held for the learner to pay online"
    COMPLIMENTARY = "complimentary", "Complimentary seat: confirmed without payment"


@dataclasses.dataclass(frozen=True)
class Move:
    seat: Enrollment
    refund: Refund | None


def offering_refusal(offering: Offering, now: dt.datetime) -> str | None:
    """Why nobody can be placed in this offering any more, or None."""
    if offering.status not in (Offering.Status.OPEN, Offering.Status.CLOSED):
        return NOT_SEATING.format(status=offering.get_status_display().lower())
    if offering.has_started(now):
        return STARTED.format(date=f"{offering.dates[0]:%-d %B %Y}")
    return None


def _check_seat_free(
    learner: User, offering: Offering, now: dt.datetime, moving: Enrollment | None = None
) -> None:
    """Raise unless the learner may be placed in this offering now and a seat is free
    (`moving`: the seat a move gives up)."""
    if refusal := offering_refusal(offering, now):
        raise EnrollmentError([refusal])
    facts = selectors.enrollment_gate_facts(
        learner=learner, offering=offering, now=now, moving=moving
    )
    if facts.live_enrollment_status == Enrollment.Status.WAITLISTED:
        facts = dataclasses.replace(facts, live_enrollment_status=None)  # taken off the queue
    if reasons := placement_refusals(facts):
        raise EnrollmentError([LEARNER_REFUSED.format(reason=r) for r in reasons])
    if selectors.seats_taken_count(offering=offering, now=now) >= offering.capacity:
        raise EnrollmentError([OFFERING_FULL])


@transaction.atomic
def seat_arrange(
    *, registrar: User, learner: User, offering_id: int, kind: str, reason: str,
    now: dt.datetime,
) -> Enrollment:  # fmt: skip
    """Offer the learner a seat (held WAITLIST_OFFER_HOURS, paid through the usual checkout)
    or give a complimentary one. A learner on this offering's waitlist leaves the queue."""
    reason = reason_given(reason, REASON_NEEDED)
    offering = _offering_locked(offering_id)
    _check_seat_free(learner, offering, now)
    seat = Enrollment.objects.filter(
        learner=learner, offering=offering, status=Enrollment.Status.WAITLISTED
    ).first() or Enrollment(learner=learner, offering=offering)
    seat.arranged_by = registrar
    if kind == Arrangement.OFFER:
        seat.status = Enrollment.Status.OFFERED
        seat.hold_expires_at = now + dt.timedelta(hours=settings.WAITLIST_OFFER_HOURS)
        seat.arrangement = f"Seat offered: {reason}"
        send = seat_offer_send
    else:
        seat.status, seat.hold_expires_at = Enrollment.Status.CONFIRMED, None
        seat.arrangement = f"Complimentary seat: {reason}"
        send = enrollment_confirmation_send
    seat.save()
    log(instance=seat, action=ARRANGE_LOG_ACTION, user=registrar,
        data={"learner": learner.email, "offering": str(offering), "kind": kind,
              "reason": reason})  # fmt: skip
    transaction.on_commit(lambda: send.enqueue(enrollment_id=seat.pk))
    return seat


@transaction.atomic
def seat_move(
    *, registrar: User, enrollment_id: int, offering_id: int, reason: str,
    waive_difference: bool, now: dt.datetime,
) -> Move:  # fmt: skip
    """Move a confirmed seat to another offering. Its payment follows; when the new course
    costs less the difference is refunded, when it costs more the registrar must waive it."""
    reason = reason_given(reason, REASON_NEEDED)
    locked = seat_lock(enrollment_id=enrollment_id)  # payment, then seat, then offerings
    payment, source = locked.payment, locked.seat
    if source.status != Enrollment.Status.CONFIRMED:
        raise EnrollmentError([NOT_MOVABLE.format(status=source.get_status_display().lower())])
    if offering_id == source.offering_id:
        raise EnrollmentError([SAME_OFFERING])
    # Both offerings locked, always in the same order, so two moves cannot deadlock.
    locked = {pk: _offering_locked(pk) for pk in sorted({source.offering_id, offering_id})}
    target = locked[offering_id]
    _check_seat_free(source.learner, target, now, moving=source)
    refund = _settle_difference(payment, target, registrar, reason, waive_difference,
                                idempotency_key=f"dn-move-{source.pk}")  # fmt: skip
    source.status = Enrollment.Status.CANCELLED
    source.save(update_fields=["status"])
    # A learner waiting in the target leaves the queue: their place becomes the seat.
    seat = Enrollment.objects.filter(
        learner=source.learner, offering=target, status=Enrollment.Status.WAITLISTED
    ).first() or Enrollment(learner=source.learner, offering=target)
    seat.status, seat.hold_expires_at, seat.transferred_from = (
        Enrollment.Status.CONFIRMED, None, source,
    )  # fmt: skip
    seat.arranged_by, seat.arrangement = registrar, f"Moved: {reason}"
    seat.save()
    log(instance=seat, action=MOVE_LOG_ACTION, user=registrar,
        data={"learner": seat.learner.email, "from": str(locked[source.offering_id]),
              "to": str(target), "reason": reason,
              "refunded_cents": refund.amount_cents if refund else 0})  # fmt: skip
    transaction.on_commit(lambda: enrollment_confirmation_send.enqueue(
        enrollment_id=seat.pk, payment_id=payment.pk if payment else None
    ))  # fmt: skip
    waitlist_offer_next(offering_id=source.offering_id, now=now)
    return Move(seat, refund)


def _settle_difference(
    payment: Payment | None, target: Offering, registrar: User, reason: str, waive: bool,
    *, idempotency_key: str,
) -> Refund | None:  # fmt: skip
    """Refund what the payment holds beyond the new price; refuse a shortfall not waived.
    A complimentary seat (no payment) moves as it is."""
    if payment is None:
        return None
    price, currency = target.course.price_cents, target.course.currency
    if currency != payment.currency:
        raise EnrollmentError([CURRENCY_DIFFERS.format(target=currency.upper(),
                                                       paid=payment.currency.upper())])  # fmt: skip
    balance = selectors.payment_balance(payment)
    difference = seat_move_difference(balance, price_cents=price, currency=currency)
    if difference.charge_cents and not waive:
        kept = format_money(balance.remaining_cents, currency)
        raise EnrollmentError([COSTS_MORE.format(
            price=format_money(price, currency), kept=kept,
            difference=format_money(difference.charge_cents, currency),
        )])  # fmt: skip
    if not difference.refund_cents:
        return None
    return refund_send(payment, difference.refund_cents, registrar, source=Refund.Source.MOVE,
                       reason=f"Moved to {target}: price difference. {reason}",
                       idempotency_key=idempotency_key)  # fmt: skip
