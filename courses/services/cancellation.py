"""Cancelling a seat (issue: enrollment 7): the refund follows the offering's tiers, goes
back through Stripe's Refund API, and is recorded as a new row; the seat is freed."""

from __future__ import annotations

import datetime as dt

import stripe
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User

from .. import selectors, stripe_api
from ..exceptions import EnrollmentError, reason_given
from ..models import Enrollment, Payment, Refund
from ..money import format_money
from ..refunds import (
    Balance,
    CancellationRefund,
    RefundOutOfRange,
    cancellation_refund,
    check_refundable,
    chosen_refund,
)
from ..seats import seat_change_refusal
from ..tasks import enrollment_cancelled_send
from .locking import PaidSeat, payment_lock, seat_lock
from .waitlist import waitlist_offer_next

REFUND_FAILED = (
    "Your seat is cancelled, but Stripe did not accept the refund of {amount}. Our registrar "
    "has been told and will send it or write to you; you need do nothing."
)
REFUND_REFUSED_FLAG = (
    "The learner cancelled; Stripe refused the refund of {amount} ({error}): refund it."
)


def changeable_seat_locked(*, learner: User, enrollment_id: int, now: dt.datetime) -> PaidSeat:
    """The learner's own seat and the payment that paid for it, locked in the one order
    (payment, then seat); refused for the reason My courses hides Cancel and Transfer
    (`seat_change_refusal`: a confirmed seat whose offering has not started)."""
    locked = seat_lock(enrollment_id=enrollment_id, learner=learner)
    if reason := seat_change_refusal(locked.seat, now=now):
        raise EnrollmentError([reason])
    return locked


def cancellation_quote(
    *, enrollment: Enrollment, payment: Payment | None, now: dt.datetime
) -> CancellationRefund:
    """What cancelling now returns from `payment` (the one paying for the seat; None for a
    seat nobody paid for): days counted in the venue's calendar, like the first day itself
    and `Offering.has_started`; everything left when we cancelled the offering ourselves."""
    offering = enrollment.offering
    balance = (
        selectors.payment_balance(payment) if payment else Balance(0, offering.course.currency)
    )
    return cancellation_refund(
        balance,
        tiers=selectors.refund_tiers(offering),
        first_day=offering.dates[0],
        today=offering.venue_date(now),
        offering_cancelled=offering.status == offering.Status.CANCELLED,
    )


@transaction.atomic
def enrollment_cancel(*, learner: User, enrollment_id: int, now: dt.datetime) -> Refund | None:
    """Cancel the learner's confirmed seat and refund per the tiers (None when nothing is
    due). The seat is free for the next learner once this returns. When Stripe refuses the
    refund the seat stays cancelled, the refund is kept as failed and the payment is
    flagged for a registrar's decision (the learner is told so)."""
    locked = changeable_seat_locked(learner=learner, enrollment_id=enrollment_id, now=now)
    enrollment = locked.seat
    quote = cancellation_quote(enrollment=enrollment, payment=locked.payment, now=now)
    refund = _cancellation_refund(locked.payment, quote, learner) if quote.amount_cents else None
    sent = refund is not None and refund.status != Refund.Status.FAILED
    enrollment.status = Enrollment.Status.REFUNDED if sent else Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    transaction.on_commit(lambda: enrollment_cancelled_send.enqueue(enrollment_id=enrollment.pk))
    waitlist_offer_next(offering_id=enrollment.offering_id, now=now)
    return refund


def _cancellation_refund(payment: Payment, quote: CancellationRefund, learner: User) -> Refund:
    """The refund sent, or, when Stripe refuses it, kept as failed with the payment flagged."""
    try:
        with transaction.atomic():
            return refund_send(payment, quote.amount_cents, learner,
                               source=Refund.Source.CANCELLATION, reason=quote.reason)  # fmt: skip
    except stripe.StripeError as error:
        amount = format_money(quote.amount_cents, quote.currency)
        payment.attention_reason = REFUND_REFUSED_FLAG.format(
            amount=amount, error=error.user_message or error.__class__.__name__
        )
        payment.save(update_fields=["attention_reason", "updated_at"])
        return Refund.objects.create(
            payment=payment, amount_cents=quote.amount_cents, currency=quote.currency,
            source=Refund.Source.CANCELLATION, status=Refund.Status.FAILED,
            reason=f"{quote.reason} Stripe refused the refund.",
            requested_by=learner,
        )  # fmt: skip


def refund_send(
    payment: Payment,
    amount_cents: int,
    by: User,
    *,
    source: str,
    reason: str,
    idempotency_key: str = "",
) -> Refund:
    """A refund row first, then Stripe's Refund, then its status. The amount comes from a
    quote of `courses.refunds` on the locked payment, and anything beyond what it still
    holds raises RefundOutOfRange before Stripe hears of it. Idempotent on the row, or on
    `idempotency_key` when the caller has a stable one (a retry after a rolled-back
    attempt then gets Stripe's first refund back instead of a second)."""
    check_refundable(selectors.payment_balance(payment), amount_cents)
    refund = Refund.objects.create(
        payment=payment,
        amount_cents=amount_cents,
        currency=payment.currency,
        source=source,
        reason=reason,
        requested_by=by,
    )
    answer = stripe_api.refund_create(
        payment_intent=payment.stripe_payment_intent_id,
        amount=refund.amount_cents,
        metadata={"refund_id": str(refund.pk)},
        idempotency_key=idempotency_key or f"dn-refund-{refund.pk}",
    )
    refund.stripe_refund_id = answer.id
    refund.status = (
        Refund.Status.SUCCEEDED if answer.status == "succeeded" else Refund.Status.PENDING
    )
    refund.save(update_fields=["stripe_refund_id", "status"])
    return refund


def refunds_record_external(*, payment_intent_id: str, now: dt.datetime) -> list[Refund]:
    """Refunds made in Stripe's dashboard reach the enrollment: each refund Stripe lists
    that we do not know becomes a row, and a fully refunded seat is marked refunded, the
    learner told and the seat offered down the waitlist. Stripe is asked before any lock."""
    listed = stripe_api.refunds_for_payment_intent(payment_intent_id)
    with transaction.atomic():
        payment_id = Payment.objects.values_list("pk", flat=True).get(
            stripe_payment_intent_id=payment_intent_id
        )
        locked = payment_lock(payment_id=payment_id)
        payment, enrollment = locked.payment, locked.seat
        known = set(payment.refunds.values_list("stripe_refund_id", flat=True))
        added = [
            Refund.objects.create(
                payment=payment,
                amount_cents=r.amount,
                currency=r.currency,
                source=Refund.Source.EXTERNAL,
                reason="Refunded in Stripe's dashboard.",
                status=Refund.Status.SUCCEEDED,
                stripe_refund_id=r.id,
            )  # fmt: skip
            for r in listed
            if r.id not in known and r.status == "succeeded"
        ]
        nothing_left = selectors.payment_balance(payment).remaining_cents == 0
        if nothing_left and enrollment.status == Enrollment.Status.CONFIRMED:
            enrollment.status = Enrollment.Status.REFUNDED
            enrollment.save(update_fields=["status"])
            transaction.on_commit(lambda: enrollment_cancelled_send.enqueue(
                enrollment_id=enrollment.pk, source=Refund.Source.EXTERNAL
            ))  # fmt: skip
            waitlist_offer_next(offering_id=enrollment.offering_id, now=now)
    return added


REFUND_TOO_LARGE = "At most {left} of this payment can still be refunded."
REFUND_REASON_NEEDED = "Say why: the reason is kept with the refund and shown to auditors."
OVERRIDE_LOG_ACTION = "dn.refund.issued"


@transaction.atomic
def refund_issue(
    *, registrar: User, payment_id: int, amount_cents: int, reason: str, cancel_seat: bool
) -> Refund:
    """A registrar's refund of any amount up to what is left, with a reason, logged; the
    seat is cancelled too when asked (or when nothing is left paid for it)."""
    locked = payment_lock(payment_id=payment_id)
    payment, enrollment = locked.payment, locked.seat
    reason = reason_given(reason, REFUND_REASON_NEEDED)
    try:
        quote = chosen_refund(selectors.payment_balance(payment), amount_cents=amount_cents)
    except RefundOutOfRange as error:
        left = format_money(error.remaining_cents, payment.currency)
        raise EnrollmentError([REFUND_TOO_LARGE.format(left=left)]) from None
    refund = refund_send(payment, quote.amount_cents, registrar,
                         source=Refund.Source.OVERRIDE, reason=reason)  # fmt: skip
    if enrollment.status == Enrollment.Status.CONFIRMED and (cancel_seat or quote.settles_payment):
        enrollment.status = Enrollment.Status.REFUNDED
        enrollment.save(update_fields=["status"])
        waitlist_offer_next(offering_id=enrollment.offering_id, now=timezone.now())
    log(instance=payment, action=OVERRIDE_LOG_ACTION, user=registrar,
        data={"refund_id": refund.pk, "amount_cents": amount_cents, "reason": refund.reason,
              "seat_cancelled": enrollment.status == Enrollment.Status.REFUNDED})  # fmt: skip
    return refund
