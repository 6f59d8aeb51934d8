"""A registrar's decision on a flagged payment (paid without a seat, an amount that does not
match), besides refunding it: place the learner in a seat it pays for, or accept it as it is.
Each with a reason, kept on the payment and logged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from wagtail.log_actions import log

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError, reason_given
from ..models import Enrollment, Payment
from ..tasks import enrollment_confirmation_send
from .enrollment import OFFERING_FULL, _offering_locked
from .locking import payment_lock

DECISION_LOG_ACTION = "dn.payment.decided"
REASON_NEEDED = "Give a reason: it is kept with the payment."
NOT_FLAGGED = "This payment needs no decision."
ALREADY_DECIDED = "This payment was already decided: {decision}"
OTHER_COURSE = "The payment was for {paid}; choose an offering of that course."
ALREADY_SEATED = "The learner already holds a seat in this offering."
PAYS_ANOTHER_SEAT = "This payment already pays for another seat."


def _payment_locked(payment_id: int) -> Payment:
    """The flagged payment and its seat, locked in the one order (services/locking.py)."""
    payment = payment_lock(payment_id=payment_id).payment
    if payment.status != Payment.Status.SUCCEEDED or not payment.attention_reason:
        raise EnrollmentError([NOT_FLAGGED])
    if payment.decided_at:
        raise EnrollmentError([ALREADY_DECIDED.format(decision=payment.decision)])
    return payment


def _decided(payment: Payment, registrar: User, decision: str, now: dt.datetime) -> Payment:
    payment.decided_at, payment.decided_by, payment.decision = now, registrar, decision
    payment.save(update_fields=["decided_at", "decided_by", "decision"])
    log(instance=payment, action=DECISION_LOG_ACTION, user=registrar, data={"decision": decision})
    return payment


@transaction.atomic
def payment_place_in_seat(
    *, registrar: User, payment_id: int, offering_id: int, reason: str, now: dt.datetime
) -> Enrollment:
    """A confirmed seat in an offering of the paid course, paid for by this payment (the new
    enrollment points back at the one the payment was made for)."""
    reason = reason_given(reason, REASON_NEEDED)
    payment = _payment_locked(payment_id)  # payment and seat first, then the offering
    offering = _offering_locked(offering_id)
    paid_for = payment.enrollment
    if offering.course_id != paid_for.offering.course_id:
        raise EnrollmentError([OTHER_COURSE.format(paid=paid_for.offering.course.code)])
    if Enrollment.objects.filter(
        learner_id=paid_for.learner_id, offering=offering, status__in=Enrollment.SEAT_STATUSES
    ).exists():
        raise EnrollmentError([ALREADY_SEATED])
    if Enrollment.objects.filter(transferred_from=paid_for).exists():
        raise EnrollmentError([PAYS_ANOTHER_SEAT])
    if selectors.seats_taken_count(offering=offering, now=now) >= offering.capacity:
        raise EnrollmentError([OFFERING_FULL])
    seat = Enrollment.objects.create(
        learner_id=paid_for.learner_id, offering=offering, status=Enrollment.Status.CONFIRMED,
        transferred_from=paid_for,
    )  # fmt: skip
    _decided(payment, registrar, f"Placed in {offering}: {reason}", now)
    transaction.on_commit(
        lambda: enrollment_confirmation_send.enqueue(enrollment_id=seat.pk, payment_id=payment.pk)
    )
    return seat


@transaction.atomic
def payment_accept(*, registrar: User, payment_id: int, reason: str, now: dt.datetime) -> Payment:
    """Accept the payment as it is (an amount the registrar agrees to), with a reason."""
    reason = reason_given(reason, REASON_NEEDED)
    payment = _payment_locked(payment_id)
    return _decided(payment, registrar, f"Accepted as it is: {reason}", now)
