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
from ..models import Enrollment, Offering
from ..money import format_money
from ..seats import transfer_refusal
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
    enrollment = changeable_seat_locked(learner=learner, enrollment_id=enrollment_id, now=now).seat
    if reason := transfer_refusal(enrollment, now=now):
        raise EnrollmentError([reason])
    if target_offering_id == enrollment.offering_id:
        raise EnrollmentError([SAME_OFFERING])
    # Both offerings locked, always in the same order, so two transfers cannot deadlock.
    locked = {
        pk: _offering_locked(pk) for pk in sorted({enrollment.offering_id, target_offering_id})
    }
    source, target = locked[enrollment.offering_id], locked[target_offering_id]
    _check_transfer(enrollment, source, target, now)
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    moved = Enrollment.objects.create(
        learner=learner, offering=target, status=Enrollment.Status.CONFIRMED,
        transferred_from=enrollment,
    )  # fmt: skip
    payment = selectors.payment_for(moved)
    transaction.on_commit(
        lambda: enrollment_confirmation_send.enqueue(enrollment_id=moved.pk, payment_id=payment.pk)
    )
    waitlist_offer_next(offering_id=source.pk, now=now)
    return moved


def _check_transfer(
    enrollment: Enrollment, source: Offering, target: Offering, now: dt.datetime
) -> None:
    if target.course_id != source.course_id:
        raise EnrollmentError([OTHER_COURSE.format(course=source.course.code)])
    payment = selectors.payment_for(enrollment)  # there is one: see transfer_refusal
    price = (target.course.price_cents, target.course.currency)
    kept = selectors.amount_kept(payment)
    if (kept, payment.currency) != price:
        paid = format_money(kept, payment.currency)
        raise EnrollmentError([PRICE_DIFFERS.format(price=format_money(*price), paid=paid)])
    facts = selectors.enrollment_gate_facts(
        learner=enrollment.learner, offering=target, now=now, moving=enrollment
    )
    if reasons := enrollment_refusals(facts):
        raise EnrollmentError(reasons)
    if selectors.seats_taken_count(offering=target, now=now) >= target.capacity:
        raise EnrollmentError([OFFERING_FULL])
