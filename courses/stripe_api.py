"""Every Stripe call the site makes, one function each, behind one configured client.

Offline (development, tests, CI) STRIPE_API_BASE points at localstripe on loopback; in
production it is unset and the real API is used. Amounts are integer minor units.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import stripe
from django.conf import settings


@cache
def _client() -> stripe.StripeClient:
    addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=addresses, max_network_retries=2
    )


def payment_intent_create(
    *,
    amount: int,
    currency: str,
    payment_method: str,
    metadata: dict[str, str],
    idempotency_key: str,
) -> stripe.PaymentIntent:
    """Create an unconfirmed PaymentIntent for a card (a `card_...` id from a token)."""
    return _client().v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )


def payment_intent_confirm(intent_id: str, *, idempotency_key: str) -> stripe.PaymentIntent:
    return _client().v1.payment_intents.confirm(
        intent_id, options={"idempotency_key": idempotency_key}
    )


def payment_intent_retrieve(intent_id: str) -> stripe.PaymentIntent:
    return _client().v1.payment_intents.retrieve(intent_id)


def payment_intent_cancel(intent_id: str, *, idempotency_key: str) -> stripe.PaymentIntent:
    return _client().v1.payment_intents.cancel(
        intent_id, options={"idempotency_key": idempotency_key}
    )


def payment_intents_succeeded_since(since: int) -> Iterator[stripe.PaymentIntent]:
    """The PaymentIntents that succeeded since `since` (a Unix time), as Stripe's
    `payment_intent.succeeded` events report them (Stripe keeps events for 30 days)."""
    events = _client().v1.events.list(
        params={"type": "payment_intent.succeeded", "created": {"gte": since}, "limit": 100}
    )
    for event in events.auto_paging_iter():
        yield event.data.object


def latest_charge_id(intent: stripe.PaymentIntent) -> str | None:
    """localstripe returns `latest_charge` expanded, Stripe returns an id: accept both."""
    charge: Any = intent.to_dict().get("latest_charge")
    return charge.get("id") if isinstance(charge, dict) else charge


def refund_create(
    *, payment_intent: str, amount: int, metadata: dict[str, str], idempotency_key: str
) -> stripe.Refund:
    return _client().v1.refunds.create(
        params={"payment_intent": payment_intent, "amount": amount, "metadata": metadata},
        options={"idempotency_key": idempotency_key},
    )


def refunds_for_payment_intent(intent_id: str) -> list[stripe.Refund]:
    return list(_client().v1.refunds.list(params={"payment_intent": intent_id}).data)
