"""`/stripe/webhook/`: Stripe's word on payments, the source of truth (DESIGN.md 5).

The signature is verified, and its timestamp must lie within Stripe's tolerance on either
side of now (a replayed or post-dated event is refused); a signed event that is not the
shape Stripe sends answers 400 and changes nothing. Each event id is processed once (a
replay finds its row); the PaymentIntent is fetched again from the API before acting, so
the order in which events arrive does not matter. An intent whose answer our checkout
never heard is found by the attempt in its metadata; one we have no attempt for becomes a
flagged payment (services/payments.py). When Stripe cannot be asked, the event answers
503 and Stripe delivers it again later.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import stripe_api
from .models import Payment, StripeEvent
from .services.cancellation import refunds_record_external
from .services.payments import intent_settle

TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE  # seconds, on either side of now
# Stripe's ids are a prefix and letters, digits or underscores; anything else is not theirs.
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


class RetryLater(Exception):
    """The event cannot be applied yet; Stripe should deliver it again."""


class Malformed(Exception):
    """A signed event that is not what Stripe sends: refused, nothing changes."""


def _intent_id(payload: dict[str, Any], field: str) -> str:
    """The PaymentIntent id at `data.object.<field>`, or Malformed."""
    value = ((payload.get("data") or {}).get("object") or {}).get(field)
    if not isinstance(value, str) or not value.startswith("pi_") or not STRIPE_ID.fullmatch(value):
        raise Malformed(f"data.object.{field} is not a PaymentIntent id.")
    return value


def _payment_intent_changed(payload: dict[str, Any]) -> None:
    intent_id = _intent_id(payload, "id")
    try:
        intent = stripe_api.payment_intent_retrieve(intent_id)
    except stripe.StripeError as error:
        raise RetryLater(f"Stripe did not return {intent_id}: {error}") from error
    intent_settle(intent=intent, now=timezone.now())


def _charge_refunded(payload: dict[str, Any]) -> None:
    intent_id = _intent_id(payload, "payment_intent")
    if not Payment.objects.filter(stripe_payment_intent_id=intent_id).exists():
        raise RetryLater(f"No payment for {intent_id} yet.")
    try:
        refunds_record_external(payment_intent_id=intent_id, now=timezone.now())
    except stripe.StripeError as error:
        raise RetryLater(f"Stripe did not list the refunds of {intent_id}: {error}") from error


HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "payment_intent.succeeded": _payment_intent_changed,
    "payment_intent.payment_failed": _payment_intent_changed,
    "charge.refunded": _charge_refunded,
}


def _signed_at(header: str) -> int | None:
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


def _verified(request: HttpRequest) -> dict[str, Any]:
    """The event's payload once its signature and timestamp check out; ValueError if not."""
    header = request.headers.get("Stripe-Signature", "")
    stripe.WebhookSignature.verify_header(
        request.body.decode("utf-8", "replace"), header, settings.STRIPE_WEBHOOK_SECRET, TOLERANCE
    )
    signed_at = _signed_at(header)
    if signed_at is None or signed_at > time.time() + TOLERANCE:
        raise ValueError("The signature's timestamp lies in the future.")
    payload = json.loads(request.body)
    event_id = payload.get("id") if isinstance(payload, dict) else None
    if not isinstance(event_id, str) or not STRIPE_ID.fullmatch(event_id):
        raise ValueError("The event has no id.")
    if not isinstance(payload.get("type"), str):
        raise ValueError("The event has no type.")
    return payload


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponse("STRIPE_WEBHOOK_SECRET is not set.", status=500)
    try:
        payload = _verified(request)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse("Invalid payload, signature or timestamp.", status=400)
    try:
        with transaction.atomic():
            _, created = StripeEvent.objects.get_or_create(
                event_id=payload["id"], defaults={"type": payload["type"], "payload": payload}
            )
            if created and (handler := HANDLERS.get(payload["type"])):
                handler(payload)
    except Malformed as reason:
        return HttpResponse(str(reason), status=400)
    except RetryLater as reason:
        return HttpResponse(str(reason), status=503)
    except IntegrityError:
        pass  # the same event, delivered twice at once: the other delivery handles it
    return HttpResponse(status=200)
