"""Paying for a held seat (DESIGN.md 3.3, 5; issue 14, items 2 and 3).

Each attempt is a Payment row committed, with its idempotency key and card, before Stripe
is called, and Stripe is called outside any row lock. A retry (the learner pressing Pay
again after a lost answer) repeats the same attempt with the same keys, so Stripe answers
with the same PaymentIntent: at most one live charge per hold. While an attempt is in
flight its hold stays, whatever the clock says (`selectors.payment_in_flight`). Stripe's
answer, from the checkout, the webhook or `reconcile_payments`, goes through `intent_apply`,
which confirms the seat only after checking again, under the offering's lock, that the
seat is there to take. A payment that cannot become a seat is flagged for a registrar's
decision and the learner is told; nobody is seated beyond capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import stripe
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import selectors, stripe_api
from ..exceptions import EnrollmentError
from ..models import Enrollment, Offering, Payment
from ..tasks import enrollment_confirmation_send, payment_flagged_send
from .enrollment import _offering_locked
from .locking import payment_lock

HOLD_EXPIRED = (
    "Your seat hold has expired, so nothing was charged. Enroll again to hold a new seat."
)
ALREADY_PAID = "This seat is already paid for."
CARD_UNUSABLE = (
    "That card could not be used ({error}). Nothing was charged: check it and try again."
)
NO_ANSWER = (
    "We did not hear back from our payment provider, so we do not know yet whether your card "
    "was charged. Your seat stays held. Press Pay again to check: you will not be charged twice."
)
PROCESSING = "Your payment is being processed. We will email you when it is confirmed."
LEARNER_FLAGGED = (
    "Your payment went through, but we could not confirm your seat: {why} Our registrar has "
    "been told and will refund you in full or place you in a seat; we have emailed you."
)


class CardUnusable(EnrollmentError):
    """Stripe refused the card itself (not a decline): nothing was created or kept."""


@dataclass(frozen=True)
class Flag:
    reason: str  # for the registrar who decides
    why: str  # for the learner


PAID_WITHOUT_SEAT = Flag(
    "Paid after the seat hold expired and the offering was full: refund it.",
    "your seat hold ended and the last seat was taken before the payment arrived.",
)
PAID_FOR_CANCELLED = Flag(
    "Paid after the offering was cancelled: refund it.", "the offering has been cancelled."
)
PAID_TWICE = Flag(
    "Paid for a seat another payment had already paid for: refund it.",
    "this seat had already been paid for.",
)
NO_LOCAL_RECORD = Flag(
    "Stripe charged this without a record of the attempt here: refund it or place the learner.",
    "we had lost track of the checkout it came from.",
)
AMOUNT_MISMATCH = "Stripe reports {got}, but the seat costs {expected}: check before confirming."


@dataclass(frozen=True)
class PaymentOutcome:
    status: str  # a Payment.Status value
    client_secret: str | None = None  # for 3-D Secure in the browser
    message: str = ""
    payment_id: int | None = None


def payment_start(
    *, learner: User, enrollment_id: int, card_id: str, now: dt.datetime
) -> PaymentOutcome:
    """Charge the card for the learner's held seat. Refused (EnrollmentError) before any
    charge when the hold is gone or Stripe refuses the card as invalid; a declined card
    leaves the hold as it was; a lost answer leaves the attempt in flight, to be settled by
    the learner's retry or by `reconcile_payments`."""
    _attempts_superseded(learner=learner, enrollment_id=enrollment_id, now=now)
    payment, fresh = _attempt_open(learner=learner, enrollment_id=enrollment_id,
                                   card_id=card_id, now=now)  # fmt: skip
    try:
        intent = _intent_charged(payment)
    except stripe.CardError as error:
        return _attempt_declined(payment, error.user_message or "Your card was declined.")
    except stripe.InvalidRequestError as error:
        if not (fresh and payment.stripe_payment_intent_id is None):
            return PaymentOutcome(Payment.Status.PENDING, message=NO_ANSWER, payment_id=payment.pk)
        # Stripe refused the request itself, so nothing exists there; the attempt stays on
        # record as failed (payments are never deleted) and the hold is untouched.
        message = CARD_UNUSABLE.format(error=error.user_message or "invalid")
        _attempt_declined(payment, message)
        raise CardUnusable([message]) from None
    except stripe.StripeError:  # no answer: the attempt stays in flight, its hold kept
        return PaymentOutcome(Payment.Status.PENDING, message=NO_ANSWER, payment_id=payment.pk)
    return intent_apply(payment_id=payment.pk, intent=intent, now=now)


def _attempts_superseded(*, learner: User, enrollment_id: int, now: dt.datetime) -> None:
    """A new attempt replaces one left waiting for 3-D Secure: its intent is cancelled at
    Stripe first (or applied, if it went through meanwhile), so one hold has one charge."""
    waiting = Payment.objects.filter(
        enrollment_id=enrollment_id, enrollment__learner=learner,
        status=Payment.Status.REQUIRES_ACTION,
    )  # fmt: skip
    for payment in waiting:
        intent_id = payment.stripe_payment_intent_id
        try:
            intent = _intent_cancelled(payment, intent_id)
        except stripe.InvalidRequestError:  # it is no longer cancellable: see what it is
            intent = stripe_api.payment_intent_retrieve(intent_id)
        intent_apply(payment_id=payment.pk, intent=intent, now=now)


@transaction.atomic
def _attempt_open(
    *, learner: User, enrollment_id: int, card_id: str, now: dt.datetime
) -> tuple[Payment, bool]:
    """The attempt in flight for this seat, or a new one while the hold is live; committed
    before Stripe hears of it. True when it is new."""
    enrollment = selectors.enrollment_locked_for_learner(learner=learner, pk=enrollment_id)
    if enrollment.status in Enrollment.SEAT_STATUSES:
        raise EnrollmentError([ALREADY_PAID])
    # Waiting for 3-D Secure counts as in flight too: a second Pay that raced past
    # _attempts_superseded must not open a second charge beside it.
    in_flight = (
        enrollment.payments.filter(
            status__in=[Payment.Status.PENDING, Payment.Status.REQUIRES_ACTION]
        )
        .order_by("pk")
        .first()
    )
    if in_flight:
        return in_flight, False
    if not selectors.hold_is_live(enrollment, now=now):
        raise EnrollmentError([HOLD_EXPIRED])
    course = enrollment.offering.course
    payment = Payment.objects.create(
        enrollment=enrollment, amount_cents=course.price_cents, currency=course.currency,
        card_id=card_id,
    )  # fmt: skip
    return payment, True


def _keys(payment: Payment) -> str:
    return payment.idempotency_key or f"dn-payment-{payment.pk}"


def _intent_of(payment: Payment) -> stripe.PaymentIntent:
    """The attempt's PaymentIntent: retrieved by its id, or created with the attempt's key,
    which gives back Stripe's first intent when an earlier create lost its answer."""
    if payment.stripe_payment_intent_id:
        return stripe_api.payment_intent_retrieve(payment.stripe_payment_intent_id)
    return _intent_created(payment)


def _intent_cancelled(payment: Payment, intent_id: str) -> stripe.PaymentIntent:
    """Cancel the attempt's intent at Stripe, with one key per attempt whoever asks."""
    return stripe_api.payment_intent_cancel(intent_id, idempotency_key=f"dn-cancel-{payment.pk}")


def _intent_charged(payment: Payment) -> stripe.PaymentIntent:
    """Find or create the attempt's PaymentIntent and confirm it, with the same
    idempotency keys every time, so a repeat returns Stripe's first answer."""
    intent = _intent_of(payment)
    if intent.status == "requires_confirmation":
        intent = stripe_api.payment_intent_confirm(
            intent.id, idempotency_key=f"{_keys(payment)}-confirm"
        )
    return intent


def _intent_created(payment: Payment) -> stripe.PaymentIntent:
    intent = stripe_api.payment_intent_create(
        amount=payment.amount_cents,
        currency=payment.currency,
        payment_method=payment.card_id,
        metadata={"enrollment_id": str(payment.enrollment_id), "payment_id": str(payment.pk)},
        idempotency_key=f"{_keys(payment)}-create",
    )
    Payment.objects.filter(pk=payment.pk).update(
        stripe_payment_intent_id=intent.id, updated_at=timezone.now()
    )
    payment.stripe_payment_intent_id = intent.id
    return intent


@transaction.atomic
def _attempt_declined(payment: Payment, message: str) -> PaymentOutcome:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == Payment.Status.PENDING:
        payment.status, payment.failure_message = Payment.Status.FAILED, message
        payment.save(update_fields=["status", "failure_message", "updated_at"])
    return PaymentOutcome(payment.status, message=payment.failure_message, payment_id=payment.pk)


def payment_refresh(*, learner: User, payment_id: int, now: dt.datetime) -> PaymentOutcome:
    """Look at Stripe again (after 3-D Secure in the browser) and apply its answer."""
    payment = selectors.payment_get_for_user(user=learner, pk=payment_id)
    if not payment.stripe_payment_intent_id:
        return PaymentOutcome(payment.status, message=NO_ANSWER, payment_id=payment.pk)
    intent = stripe_api.payment_intent_retrieve(payment.stripe_payment_intent_id)
    return intent_apply(payment_id=payment.pk, intent=intent, now=now)


@transaction.atomic
def intent_apply(
    *, payment_id: int, intent: stripe.PaymentIntent, now: dt.datetime
) -> PaymentOutcome:
    """Bring the payment and its seat (locked here, in the one order) in line with the
    PaymentIntent Stripe reports. Safe to call any number of times."""
    locked = payment_lock(payment_id=payment_id)
    payment = locked.payment
    if payment.status == Payment.Status.SUCCEEDED:
        # Already applied: the seat was settled then, and may since have been cancelled,
        # refunded or transferred. A late or repeated event must not bring it back.
        return PaymentOutcome(payment.status, payment_id=payment.pk)
    if intent.status == "requires_action":
        payment.status = Payment.Status.REQUIRES_ACTION
        payment.save(update_fields=["status", "updated_at"])
        return PaymentOutcome(payment.status, client_secret=intent.client_secret,
                              payment_id=payment.pk)  # fmt: skip
    if intent.status in ("processing", "requires_confirmation"):
        return PaymentOutcome(payment.status, message=PROCESSING, payment_id=payment.pk)
    if intent.status != "succeeded":
        payment.status = Payment.Status.FAILED
        error = intent.to_dict().get("last_payment_error") or {}
        payment.failure_message = error.get("message") or "The payment did not go through."
        payment.save(update_fields=["status", "failure_message", "updated_at"])
        return PaymentOutcome(payment.status, message=payment.failure_message,
                              payment_id=payment.pk)  # fmt: skip
    payment.status = Payment.Status.SUCCEEDED
    payment.stripe_charge_id = stripe_api.latest_charge_id(intent) or ""
    payment.save(update_fields=["status", "stripe_charge_id", "updated_at"])
    if (intent.amount, intent.currency) != (payment.amount_cents, payment.currency):
        return _flag(payment, Flag(AMOUNT_MISMATCH.format(
            got=f"{intent.amount} {intent.currency}",
            expected=f"{payment.amount_cents} {payment.currency}",
        ), "the amount charged is not the price of the seat."))  # fmt: skip
    return _seat_for_paid(payment, locked.seat, now)


def _seat_for_paid(payment: Payment, seat: Enrollment, now: dt.datetime) -> PaymentOutcome:
    """Confirm the seat, checked again under the offering's lock (the third lock in the
    order): the offering still runs, the seat is not paid already, and, leaving this seat
    out, a place is free (a live or in-flight hold always finds its own)."""
    offering = _offering_locked(seat.offering_id)
    if offering.status not in (Offering.Status.OPEN, Offering.Status.CLOSED):
        return _flag(payment, PAID_FOR_CANCELLED)
    if seat.status in Enrollment.SEAT_STATUSES:
        return _flag(payment, PAID_TWICE)
    if selectors.seats_taken_count(offering=offering, now=now, excluding=seat) >= offering.capacity:
        return _flag(payment, PAID_WITHOUT_SEAT)
    seat.status = Enrollment.Status.CONFIRMED
    seat.hold_expires_at = None
    seat.save(update_fields=["status", "hold_expires_at"])
    transaction.on_commit(
        lambda: enrollment_confirmation_send.enqueue(enrollment_id=seat.pk, payment_id=payment.pk)
    )
    return PaymentOutcome(Payment.Status.SUCCEEDED, payment_id=payment.pk)


def _flag(payment: Payment, flag: Flag) -> PaymentOutcome:
    """Keep the payment for a registrar's decision, and tell the learner by email."""
    payment.attention_reason = flag.reason
    payment.save(update_fields=["attention_reason", "updated_at"])
    transaction.on_commit(lambda: payment_flagged_send.enqueue(payment_id=payment.pk, why=flag.why))
    return PaymentOutcome(payment.status, message=LEARNER_FLAGGED.format(why=flag.why),
                          payment_id=payment.pk)  # fmt: skip


def intent_settle(*, intent: stripe.PaymentIntent, now: dt.datetime) -> PaymentOutcome | None:
    """Apply a PaymentIntent Stripe reports (webhook, reconciliation) to its payment, found
    by the intent's id or, when the answer to our request was lost, by the payment id our
    attempt put in its metadata. A succeeded intent with no attempt here becomes a flagged
    payment for a registrar's decision. None for an intent that is not ours."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent.id).first()
    if payment is None:
        payment = _attempt_claiming(intent)
    if payment is None:
        return _unrecorded(intent)
    return intent_apply(payment_id=payment.pk, intent=intent, now=now)


def _metadata(intent: stripe.PaymentIntent, key: str) -> int | None:
    value = (intent.to_dict().get("metadata") or {}).get(key, "")
    return int(value) if str(value).isdigit() else None


def _attempt_claiming(intent: stripe.PaymentIntent) -> Payment | None:
    """Our attempt named in the intent's metadata, which never heard back its intent id."""
    payment_id = _metadata(intent, "payment_id")
    claimed = Payment.objects.filter(
        pk=payment_id,
        stripe_payment_intent_id=None,
        enrollment_id=_metadata(intent, "enrollment_id"),
    ).update(stripe_payment_intent_id=intent.id, updated_at=timezone.now())
    return Payment.objects.get(pk=payment_id) if claimed else None


@transaction.atomic
def _unrecorded(intent: stripe.PaymentIntent) -> PaymentOutcome | None:
    enrollment = Enrollment.objects.filter(pk=_metadata(intent, "enrollment_id")).first()
    if intent.status != "succeeded" or enrollment is None:
        return None
    payment, created = Payment.objects.get_or_create(
        stripe_payment_intent_id=intent.id,
        defaults={
            "enrollment": enrollment, "amount_cents": intent.amount, "currency": intent.currency,
            "status": Payment.Status.SUCCEEDED, "idempotency_key": None,
            "stripe_charge_id": stripe_api.latest_charge_id(intent) or "",
        },
    )  # fmt: skip
    return _flag(payment, NO_LOCAL_RECORD) if created else None


@dataclass
class Reconciliation:
    applied: int = 0  # Stripe's answers applied to attempts that had not heard them
    unreachable: int = 0  # attempts Stripe could not be asked about; tried again next run


STUCK_AFTER = dt.timedelta(minutes=2)  # an attempt in flight longer than this lost its answer


def payments_reconcile(*, now: dt.datetime, since: dt.datetime) -> Reconciliation:
    """Bring our payments in line with Stripe (run every minute): every PaymentIntent that
    succeeded since `since` is applied to its attempt, or flagged when we have none; then
    each attempt still in flight after STUCK_AFTER asks Stripe (by its intent, or by
    repeating its create with the same key): one never confirmed is cancelled there, since
    nobody is at the checkout to pay, and fails here, freeing its hold."""
    result = Reconciliation()
    for reported in stripe_api.payment_intents_succeeded_since(int(since.timestamp())):
        known = Payment.objects.filter(stripe_payment_intent_id=reported["id"]).first()
        if known is None or known.status != Payment.Status.SUCCEEDED:
            intent = stripe_api.payment_intent_retrieve(reported["id"])
            result.applied += intent_settle(intent=intent, now=now) is not None
    stuck = Payment.objects.filter(status=Payment.Status.PENDING, updated_at__lt=now - STUCK_AFTER)
    for payment in stuck:
        try:
            intent = _intent_abandoned(payment)
        except stripe.StripeError:
            result.unreachable += 1
            continue
        intent_apply(payment_id=payment.pk, intent=intent, now=now)
        result.applied += 1
    return result


def _intent_abandoned(payment: Payment) -> stripe.PaymentIntent:
    """A stuck attempt's intent as Stripe has it; cancelled there when never confirmed,
    since nobody is at the checkout to pay."""
    intent = _intent_of(payment)
    if intent.status in ("requires_confirmation", "requires_payment_method"):
        intent = _intent_cancelled(payment, intent.id)
    return intent
