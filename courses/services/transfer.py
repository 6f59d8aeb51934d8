"""Moving a paid seat to another offering of the same course without paying again, when
the price is the same. The old seat is cancelled and kept; the new one points back at it,
so its payment (and any later refund) follows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError
from ..gate import enrollment_refusals
from ..models import Enrollment, Offering, Payment
from ..money import format_money
from ..refunds import seat_move_difference
from ..seats import NOT_PAID_ONLINE
from ..tasks import enrollment_confirmation_send
from .cancellation import changeable_seat_locked
from .enrollment import OFFERING_FULL, _offering_locked
from .waitlist import waitlist_offer_next

OTHER_COURSE = "A seat can only move to another offering of {course}."
SAME_OFFERING = "That is the offering you are already in."
PRICE_DIFFERS = (
    "That offering costs {price}, not the {paid} you paid: ask the registrar to transfer you."
)


def transfer_targets(*, enrollment: Enrollment) -> list[Offering]:
    """Open, upcoming offerings of the same course, other than the learner's own."""
    return list(
        selectors.offerings_upcoming(course=enrollment.offering.course)
        .filter(status=Offering.Status.OPEN)
        .exclude(pk=enrollment.offering_id)
    )


@transaction.atomic
def enrollment_transfer(
    *, learner: User, enrollment_id: int, target_offering_id: int, now: dt.datetime
) -> Enrollment:
    """Move the learner's confirmed seat; raise EnrollmentError with the reasons it cannot."""
    # Payment, then seat, then the offerings: the one lock order (services/locking.py).
    locked = changeable_seat_locked(learner=learner, enrollment_id=enrollment_id, now=now)
    payment, enrollment = locked.payment, locked.seat
    if payment is None:  # as seats.transfer_refusal says: a registrar's seat is theirs to move
        raise EnrollmentError([NOT_PAID_ONLINE])
    if target_offering_id == enrollment.offering_id:
        raise EnrollmentError([SAME_OFFERING])
    # Both offerings locked, always in the same order, so two transfers cannot deadlock.
    offerings = {
        pk: _offering_locked(pk) for pk in sorted({enrollment.offering_id, target_offering_id})
    }
    source, target = offerings[enrollment.offering_id], offerings[target_offering_id]
    _check_transfer(enrollment, payment, source, target, now)
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    moved = Enrollment.objects.create(
        learner=learner, offering=target, status=Enrollment.Status.CONFIRMED,
        transferred_from=enrollment,
    )  # fmt: skip
    transaction.on_commit(
        lambda: enrollment_confirmation_send.enqueue(enrollment_id=moved.pk, payment_id=payment.pk)
    )
    waitlist_offer_next(offering_id=source.pk, now=now)
    return moved


def _check_transfer(
    enrollment: Enrollment, payment: Payment, source: Offering, target: Offering,
    now: dt.datetime,
) -> None:  # fmt: skip
    """`payment` is the locked one paying for the seat: the move keeps it, so it must hold
    the new price exactly."""
    if target.course_id != source.course_id:
        raise EnrollmentError([OTHER_COURSE.format(course=source.course.code)])
    price, currency = target.course.price_cents, target.course.currency
    balance = selectors.payment_balance(payment)
    if (
        currency != payment.currency
        or not seat_move_difference(balance, price_cents=price, currency=currency).is_even
    ):
        paid = format_money(balance.remaining_cents, payment.currency)
        raise EnrollmentError([PRICE_DIFFERS.format(price=format_money(price, currency),
                                                    paid=paid)])  # fmt: skip
    facts = selectors.enrollment_gate_facts(
        learner=enrollment.learner, offering=target, now=now, moving=enrollment
    )
    if reasons := enrollment_refusals(facts):
        raise EnrollmentError(reasons)
    if selectors.seats_taken_count(offering=target, now=now) >= target.capacity:
        raise EnrollmentError([OFFERING_FULL])
