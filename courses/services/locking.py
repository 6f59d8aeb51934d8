"""The one lock order for money and seats (issue 14, item 4): a payment first, then the seat
(enrollment) it pays for, then, where seats are counted, the offering. Every service that
locks a payment and a seat takes both here, so no two of them wait on each other in a
circle: a learner's cancel or transfer, refunds (ours and Stripe's dashboard's), a
registrar's move or decision, an offering's cancellation, and applying Stripe's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError
from ..models import Enrollment, Payment

SEAT_CHANGED = "This seat changed while we looked at it. Please try again."


@dataclass(frozen=True)
class PaidSeat:
    payment: Payment | None  # None for a seat nobody paid for (held, complimentary)
    seat: Enrollment


def _seat_locked(pk: int) -> Enrollment:
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("offering__course", "offering__venue", "learner")
        .get(pk=pk)
    )


def _payment_locked(pk: int) -> Payment:
    return Payment.objects.select_for_update(of=("self",)).get(pk=pk)


def seat_lock(*, enrollment_id: int, learner: User | None = None) -> PaidSeat:
    """Lock the payment that paid for this seat (its own, or the one of the seat it moved
    from), then the seat. With `learner`, another learner's seat raises
    Enrollment.DoesNotExist."""
    seats = Enrollment.objects.filter(learner=learner) if learner else Enrollment.objects
    payment = selectors.payment_for(seats.get(pk=enrollment_id))
    locked = _payment_locked(payment.pk) if payment else None
    seat = _seat_locked(enrollment_id)
    now_paid_by = selectors.payment_for(seat)
    if (now_paid_by and now_paid_by.pk) != (payment and payment.pk):
        # A payment succeeded in between: locking it now would break the order.
        raise EnrollmentError([SEAT_CHANGED])
    return PaidSeat(locked, seat)


def payment_lock(*, payment_id: int) -> PaidSeat:
    """Lock the payment, then the seat it pays for now (its own enrollment, or the last
    seat it was moved on to). Movers lock the payment first, so the seat cannot move on."""
    payment = _payment_locked(payment_id)
    return PaidSeat(payment, _seat_locked(selectors.seat_paid_by(payment).pk))
