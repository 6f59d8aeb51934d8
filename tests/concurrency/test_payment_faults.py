"""Money under faults and races, on PostgreSQL with real commits, real threads and real
HTTP to localstripe through a fault-injecting proxy (issue 14, items 2, 3 and 4)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

from django.db import connections
from django.test import Client
from django.utils import timezone

from courses import stripe_api
from courses.models import Enrollment, Payment, Refund
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start, payments_reconcile
from courses.services.waitlist import holds_expire, waitlist_join
from tests.concurrency import RACES_ON_POSTGRESQL
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import JANUARY, NOW, an_offering, licensed_learner
from tests.courses.test_payments import VISA
from tests.courses.test_webhook import SECRET, _event

pytestmark = RACES_ON_POSTGRESQL


def _client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _pay(client: Client, enrollment: Enrollment):
    return client.post(f"/me/enrollments/{enrollment.pk}/pay/",
                       json.dumps({"card_id": card_token(VISA)}),
                       content_type="application/json")  # fmt: skip


def _charges_for(enrollment: Enrollment, since: int) -> int:
    """Succeeded PaymentIntents at Stripe for this enrollment."""
    intents = stripe_api._client().v1.payment_intents.list(params={"limit": 100})
    return sum(
        1
        for intent in intents.auto_paging_iter()
        if intent.created >= since
        and intent.to_dict()["metadata"].get("enrollment_id") == str(enrollment.pk)
        and intent.status == "succeeded"
    )


def _held(capacity: int = 1) -> Enrollment:
    offering = an_offering(capacity=capacity)
    return enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=timezone.now())


def test_a_lost_answer_after_stripe_charged_is_not_charged_again(stripe_proxy, settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    started = int(time.time()) - 1
    held = _held()
    client = _client_for(held.learner)
    stripe_proxy.drop("POST", "/confirm")  # Stripe charges; the site never hears it

    first = _pay(client, held)

    assert first.status_code == 200
    assert first.json()["status"] == "pending"
    assert "you will not be charged twice" in first.json()["message"]
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD

    retry = _pay(client, held)

    assert retry.json()["status"] == "succeeded"
    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED
    assert Payment.objects.count() == 1
    assert _charges_for(held, started) == 1
    # Stripe's event for the charge finds the attempt (no 503 for ever) and changes nothing.
    payment = Payment.objects.get()
    body = json.dumps(_event("payment_intent.succeeded", payment.stripe_payment_intent_id))
    assert _webhook(body).status_code == 200
    again = _pay(client, held).json()  # a Pay from a stale page: the receipt, no charge
    assert again["redirect"] == f"/me/payments/{payment.pk}/receipt/"
    assert _charges_for(held, started) == 1


def test_a_retry_after_the_create_answer_was_lost_finds_the_same_intent(stripe_proxy):
    started = int(time.time()) - 1
    held = _held()
    client = _client_for(held.learner)
    stripe_proxy.drop("POST", "/v1/payment_intents", times=3)

    assert _pay(client, held).json()["status"] == "pending"
    assert Payment.objects.get().stripe_payment_intent_id is None

    assert _pay(client, held).json()["status"] == "succeeded"
    assert _charges_for(held, started) == 1
    assert Payment.objects.get().stripe_payment_intent_id.startswith("pi_")


def test_reconciliation_settles_a_payment_whose_learner_never_came_back(stripe_proxy):
    started = timezone.now() - dt.timedelta(seconds=1)  # earlier tests' intents are not ours
    held = _held()
    stripe_proxy.drop("POST", "/confirm")
    assert _pay(_client_for(held.learner), held).json()["status"] == "pending"
    # Meanwhile the hold is kept: expiry leaves it alone.
    Enrollment.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now())
    holds_expire(now=timezone.now())
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD

    payments_reconcile(now=timezone.now(), since=started)

    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED
    # The attempt itself (it has a key); localstripe is shared by the session, and an earlier
    # test's intent of the same second may name a reused enrollment id and be flagged too.
    attempt = Payment.objects.get(enrollment=held, idempotency_key__isnull=False)
    assert attempt.status == Payment.Status.SUCCEEDED


def _webhook(body: str):
    import stripe

    header = stripe.WebhookSignature.generate_signature_header(body, SECRET, int(time.time()))
    return Client(raise_request_exception=False).post(
        "/stripe/webhook/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def _in_thread(target, results: list) -> threading.Thread:
    def run() -> None:
        try:
            results.append(target())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_hold_ending_while_its_payment_is_in_flight_is_not_given_away(stripe_proxy):
    """Capacity 1: A pays 1.5 s before the hold ends while Stripe is slow; B tries after
    the hold's end. A keeps the seat, B is told the offering is full: never two seats."""
    a = _held(capacity=1)
    Enrollment.objects.filter(pk=a.pk).update(
        hold_expires_at=timezone.now() + dt.timedelta(seconds=1.5)
    )
    slow = stripe_proxy.delay("POST", "/confirm", seconds=4)
    results: list = []

    paying = _in_thread(lambda: _pay(_client_for(a.learner), a), results)
    assert slow.seen.wait(10)
    time.sleep(2)  # A's hold has ended by the clock; Stripe has not answered
    b = licensed_learner()
    refused = _client_for(b).post(f"/offerings/{a.offering_id}/enroll/", follow=True)
    holds_expire(now=timezone.now())
    paying.join(30)

    assert "This offering is full." in refused.content.decode()
    assert results[0].json()["status"] == "succeeded"
    assert list(Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED)) == [
        Enrollment.objects.get(pk=a.pk)
    ]
    assert not Enrollment.objects.filter(learner=b, status=Enrollment.Status.HELD).exists()


def test_cancel_and_a_dashboard_refund_at_once_neither_deadlocks(
    stripe_proxy, settings, mailoutbox
):
    """The learner cancels while Stripe reports a refund made in its dashboard: the
    webhook takes the payment, then the seat; so does the cancel. No 500, the seat ends
    refunded, the learner is emailed and the waitlist moves."""
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    offering = an_offering(capacity=1, first_day=JANUARY)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    waiting = waitlist_join(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment = Payment.objects.get()
    stripe_api._client().v1.refunds.create(
        params={"payment_intent": payment.stripe_payment_intent_id}
    )
    event = _event("charge.refunded", payment.stripe_charge_id, "evt_dashboard")
    event["data"]["object"] |= {
        "object": "charge",
        "payment_intent": payment.stripe_payment_intent_id,
    }
    listing = stripe_proxy.delay("GET", "/v1/refunds", seconds=1.5)
    results: list = []

    webhook = _in_thread(lambda: _webhook(json.dumps(event)), results)
    assert listing.seen.wait(10)
    cancel = _in_thread(
        lambda: _client_for(held.learner).post(f"/me/enrollments/{held.pk}/cancel/"), results
    )
    webhook.join(30)
    cancel.join(30)

    assert sorted(r.status_code for r in results) == [200, 302]
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == Enrollment.Status.REFUNDED
    assert waiting.status == Enrollment.Status.OFFERED
    assert Refund.objects.filter(source=Refund.Source.EXTERNAL).count() == 1
    assert "[DN Tracker] Cancelled: DN-1 in Richmond" in [m.subject for m in mailoutbox]
