"""Paying for a held seat (DESIGN.md 3.3, 5): the server confirms the PaymentIntent only
while the learner's hold is live, so no card is charged for a seat we no longer hold; the
webhook (and the browser, after 3-D Secure) report Stripe's answer through `intent_apply`.
A paid learner always ends with a seat, or with a payment flagged for staff to refund.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import stripe
from django.db import transaction

from accounts.models import User

from .. import selectors, stripe_api
from ..exceptions import EnrollmentError
from ..models import Enrollment, Offering, Payment
from ..tasks import enrollment_confirmation_send

HOLD_EXPIRED = (
    "Your seat hold has expired, so nothing was charged. Enroll again to hold a new seat."
)
PAID_WITHOUT_SEAT = "Paid after the seat hold expired and the offering was full: refund it."
PAID_FOR_CANCELLED = "Paid after the offering was cancelled: refund it."
AMOUNT_MISMATCH = "Stripe reports {got}, but the seat costs {expected}: check before confirming."


@dataclass(frozen=True)
class PaymentOutcome:
    status: str  # a Payment.Status value
    client_secret: str | None = None  # for 3-D Secure in the browser
    message: str = ""


@transaction.atomic
def payment_start(
    *, learner: User, enrollment_id: int, card_id: str, now: dt.datetime
) -> PaymentOutcome:
    """Charge the card for the learner's held seat. Refused (EnrollmentError) before any
    charge when the hold is gone; a declined card leaves the hold as it was."""
    enrollment = selectors.enrollment_locked_for_learner(learner=learner, pk=enrollment_id)
    if not selectors.hold_is_live(enrollment, now=now):
        raise EnrollmentError([HOLD_EXPIRED])
    course = enrollment.offering.course
    payment = Payment.objects.create(
        enrollment=enrollment, amount_cents=course.price_cents, currency=course.currency
    )
    key = f"dn-payment-{payment.pk}"
    try:
        intent = stripe_api.payment_intent_create(
            amount=payment.amount_cents,
            currency=payment.currency,
            payment_method=card_id,
            metadata={"enrollment_id": str(enrollment.pk), "payment_id": str(payment.pk)},
            idempotency_key=f"{key}-create",
        )
        payment.stripe_payment_intent_id = intent.id
        payment.save(update_fields=["stripe_payment_intent_id", "updated_at"])
        intent = stripe_api.payment_intent_confirm(intent.id, idempotency_key=f"{key}-confirm")
    except stripe.CardError as error:
        payment.status = Payment.Status.FAILED
        payment.failure_message = error.user_message or "Your card was declined."
        payment.save(update_fields=["status", "failure_message", "updated_at"])
        return PaymentOutcome(Payment.Status.FAILED, message=payment.failure_message)
    return intent_apply(payment=payment, intent=intent, now=now)


@transaction.atomic
def payment_refresh(*, learner: User, payment_id: int, now: dt.datetime) -> PaymentOutcome:
    """Look at Stripe again (after 3-D Secure in the browser) and apply its answer."""
    payment = Payment.objects.select_for_update().get(pk=payment_id, enrollment__learner=learner)
    intent = stripe_api.payment_intent_retrieve(payment.stripe_payment_intent_id)
    return intent_apply(payment=payment, intent=intent, now=now)


def intent_apply(
    *, payment: Payment, intent: stripe.PaymentIntent, now: dt.datetime
) -> PaymentOutcome:
    """Bring the payment (locked by the caller) and its enrollment in line with the
    PaymentIntent Stripe reports. Safe to call any number of times."""
    if intent.status == "requires_action":
        payment.status = Payment.Status.REQUIRES_ACTION
        payment.save(update_fields=["status", "updated_at"])
        return PaymentOutcome(payment.status, client_secret=intent.client_secret)
    if intent.status != "succeeded":
        payment.status = Payment.Status.FAILED
        error = intent.to_dict().get("last_payment_error") or {}
        payment.failure_message = error.get("message") or "The payment did not go through."
        payment.save(update_fields=["status", "failure_message", "updated_at"])
        return PaymentOutcome(payment.status, message=payment.failure_message)
    if payment.status == Payment.Status.SUCCEEDED:
        # Already applied: the seat was settled then, and may since have been cancelled,
        # refunded or transferred. A late or repeated event must not bring it back.
        return PaymentOutcome(Payment.Status.SUCCEEDED)
    payment.status = Payment.Status.SUCCEEDED
    payment.stripe_charge_id = stripe_api.latest_charge_id(intent) or ""
    payment.save(update_fields=["status", "stripe_charge_id", "updated_at"])
    if (intent.amount, intent.currency) != (payment.amount_cents, payment.currency):
        return _flag(payment, AMOUNT_MISMATCH.format(
            got=f"{intent.amount} {intent.currency}",
            expected=f"{payment.amount_cents} {payment.currency}",
        ))  # fmt: skip
    return _seat_for_paid(payment, now)


def _seat_for_paid(payment: Payment, now: dt.datetime) -> PaymentOutcome:
    enrollment = Enrollment.objects.select_for_update(of=("self",)).get(pk=payment.enrollment_id)
    if not selectors.hold_is_live(enrollment, now=now):
        # The hold lapsed (3-D Secure took too long): the seat is only ours if one is free.
        offering = Offering.objects.select_for_update().get(pk=enrollment.offering_id)
        if offering.status not in (Offering.Status.OPEN, Offering.Status.CLOSED):
            return _flag(payment, PAID_FOR_CANCELLED)
        if selectors.seats_taken_count(offering=offering, now=now) >= offering.capacity:
            return _flag(payment, PAID_WITHOUT_SEAT)
    enrollment.status = Enrollment.Status.CONFIRMED
    enrollment.hold_expires_at = None
    enrollment.save(update_fields=["status", "hold_expires_at"])
    transaction.on_commit(
        lambda: enrollment_confirmation_send.enqueue(
            enrollment_id=enrollment.pk, payment_id=payment.pk
        )
    )
    return PaymentOutcome(Payment.Status.SUCCEEDED)


def _flag(payment: Payment, reason: str) -> PaymentOutcome:
    payment.attention_reason = reason
    payment.save(update_fields=["attention_reason", "updated_at"])
    return PaymentOutcome(payment.status, message="Your payment is being reviewed by our staff.")
