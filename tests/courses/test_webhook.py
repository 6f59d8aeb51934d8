"""The Stripe webhook: signed, once per event, order-proof, and never an overbooking."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import stripe
import time_machine

from courses import stripe_api
from courses.models import Enrollment, Payment, StripeEvent
from courses.services.enrollment import enrollment_hold
from courses.services.offering_cancellation import offering_cancel
from courses.services.payments import payment_start
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, an_offering, licensed_learner
from tests.courses.test_payments import THREE_D_SECURE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]
SECRET = "whsec_test_secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def _event(event_type: str, intent_id: str, event_id: str = "evt_1") -> dict:
    return {"id": event_id, "object": "event", "type": event_type,
            "data": {"object": {"id": intent_id, "object": "payment_intent"}}}  # fmt: skip


def _deliver(client, payload: dict, secret: str = SECRET):
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, int(time.time()))
    return client.post("/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)  # fmt: skip


def _authenticated_3ds_payment(capacity: int = 1):
    """A 3-D Secure payment the learner completed at Stripe, not yet reported to us."""
    offering = an_offering(capacity=capacity)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    outcome = payment_start(learner=held.learner, enrollment_id=held.pk,
                            card_id=card_token(THREE_D_SECURE), now=NOW)  # fmt: skip
    payment = Payment.objects.get(enrollment=held)
    stripe_api._client().raw_request(
        "post", f"/v1/payment_intents/{payment.stripe_payment_intent_id}/_authenticate",
        client_secret=outcome.client_secret, success="true",
    )  # fmt: skip
    return held, payment


def test_a_bad_signature_is_refused_and_changes_nothing(client):
    held, payment = _authenticated_3ds_payment()

    event = _event("payment_intent.succeeded", payment.stripe_payment_intent_id)

    response = _deliver(client, event, secret="whsec_wrong")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD


def test_without_a_configured_secret_it_answers_500(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert _deliver(client, _event("payment_intent.succeeded", "pi_x")).status_code == 500


def test_succeeded_five_times_and_out_of_order_confirms_once(client):
    held, payment = _authenticated_3ds_payment()
    intent = payment.stripe_payment_intent_id
    deliveries = [_event("payment_intent.succeeded", intent, "evt_ok")] * 5
    deliveries.insert(0, _event("payment_intent.payment_failed", intent, "evt_late_failure"))

    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        statuses = [_deliver(client, payload).status_code for payload in reversed(deliveries)]

    assert statuses == [200] * 6
    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED
    assert Payment.objects.count() == 1
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert StripeEvent.objects.count() == 2


def test_a_payment_after_the_hold_expired_and_the_seat_was_taken_is_flagged(client):
    held, payment = _authenticated_3ds_payment(capacity=1)
    later = NOW + dt.timedelta(minutes=20)
    enrollment_hold(learner=licensed_learner(), offering_id=held.offering_id, now=later)

    with time_machine.travel(later, tick=False):
        _deliver(client, _event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    held.refresh_from_db()
    payment.refresh_from_db()
    assert held.status == Enrollment.Status.HELD  # not confirmed: no overbooking
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.attention_reason.startswith("Paid after the seat hold expired")


def test_a_payment_finishing_after_we_cancelled_the_offering_is_flagged(client, registrar):
    held, payment = _authenticated_3ds_payment(capacity=2)
    offering_cancel(registrar=registrar, offering_id=held.offering_id, reason="Ill",
                    now=NOW + dt.timedelta(minutes=1))  # fmt: skip

    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        _deliver(client, _event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    held.refresh_from_db()
    payment.refresh_from_db()
    assert held.status == Enrollment.Status.CANCELLED  # no seat in a cancelled offering
    assert payment.attention_reason == "Paid after the offering was cancelled: refund it."


def test_a_payment_after_the_hold_expired_takes_a_free_seat(client):
    held, payment = _authenticated_3ds_payment(capacity=2)

    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        _deliver(client, _event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED


def test_an_event_for_an_unknown_payment_asks_stripe_to_retry(client):
    response = _deliver(client, _event("payment_intent.succeeded", "pi_unknown"))

    assert response.status_code == 503
    assert not StripeEvent.objects.exists()


def test_events_it_does_not_handle_are_acknowledged(client):
    response = _deliver(client, {"id": "evt_c", "object": "event", "type": "customer.created",
                                 "data": {"object": {"id": "cus_1"}}})  # fmt: skip

    assert response.status_code == 200


def test_an_amount_that_does_not_match_the_seat_is_flagged_not_confirmed(client):
    held, payment = _authenticated_3ds_payment()
    Payment.objects.filter(pk=payment.pk).update(amount_cents=95000)

    _deliver(client, _event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    held.refresh_from_db()
    payment.refresh_from_db()
    assert held.status == Enrollment.Status.HELD
    assert payment.attention_reason == (
        "Stripe reports 89500 usd, but the seat costs 95000 usd: check before confirming."
    )


def test_a_late_success_event_does_not_revive_a_cancelled_seat(client):
    from courses.services.cancellation import enrollment_cancel
    from tests.courses.test_payments import VISA

    offering = an_offering(capacity=1)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    enrollment_cancel(learner=held.learner, enrollment_id=held.pk, now=NOW)
    payment = Payment.objects.get()

    _deliver(client, _event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    held.refresh_from_db()
    assert held.status == Enrollment.Status.REFUNDED


def _deliver_at(client, body: str, signed_at: int):
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET, signed_at)
    return client.post("/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)  # fmt: skip


@pytest.mark.parametrize("offset", [-3600, 3600])
def test_an_event_signed_outside_the_tolerance_either_way_is_refused(client, offset):
    held, payment = _authenticated_3ds_payment()
    body = json.dumps(_event("payment_intent.succeeded", payment.stripe_payment_intent_id))

    response = _deliver_at(client, body, int(time.time()) + offset)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"id": "evt_m", "type": "payment_intent.succeeded"},
        {"id": "evt_m", "type": "payment_intent.succeeded", "data": {"object": None}},
        {"id": "evt_m", "type": "payment_intent.succeeded", "data": {"object": {"id": 7}}},
        {"id": "evt_m", "type": "charge.refunded", "data": {"object": {"id": "ch_1"}}},
        {"type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
    ],
)
def test_a_signed_but_malformed_event_is_a_400_and_changes_nothing(client, payload):
    response = _deliver_at(client, json.dumps(payload), int(time.time()))

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_charge_stripe_reports_without_a_checkout_here_is_flagged_for_a_decision(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    """The old failure: the attempt's row rolled back after Stripe charged. The event no
    longer answers 503 for ever: the charge becomes a payment a registrar decides on."""
    from tests.courses.test_payments import VISA

    offering = an_offering(capacity=1)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    intent = stripe_api.payment_intent_create(
        amount=89500, currency="usd", payment_method=card_token(VISA),
        metadata={"enrollment_id": str(held.pk), "payment_id": "999999"},
        idempotency_key="lost-attempt",
    )  # fmt: skip
    stripe_api.payment_intent_confirm(intent.id, idempotency_key="lost-attempt-confirm")

    with django_capture_on_commit_callbacks(execute=True):
        response = _deliver(client, _event("payment_intent.succeeded", intent.id))

    assert response.status_code == 200
    payment = Payment.objects.get()
    assert (payment.enrollment, payment.status, payment.stripe_payment_intent_id) == (
        held,
        Payment.Status.SUCCEEDED,
        intent.id,
    )
    assert payment.attention_reason.startswith("Stripe charged this without a record")
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD  # a registrar decides, nothing is assumed
    [email] = mailoutbox
    assert "please do not pay again" in email.body
