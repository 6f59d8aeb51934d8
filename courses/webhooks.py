"""`/stripe/webhook/`: Stripe's word on payments, the source of truth (DESIGN.md 5).

The signature is verified; each event id is processed once (a replay finds its row); the
PaymentIntent is fetched again from the API before acting, so the order in which events
arrive does not matter. An event for a payment not yet visible here answers 503, and Stripe
delivers it again later.
"""

from __future__ import annotations

import json
from collections.abc import Callable

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
from .services.payments import intent_apply


class RetryLater(Exception):
    """The event cannot be applied yet; Stripe should deliver it again."""


def _payment_intent_changed(event: stripe.Event) -> None:
    intent_id = event.data.object["id"]
    payment = Payment.objects.select_for_update().filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        raise RetryLater(f"No payment for {intent_id} yet.")
    intent = stripe_api.payment_intent_retrieve(intent_id)
    intent_apply(payment=payment, intent=intent, now=timezone.now())


def _charge_refunded(event: stripe.Event) -> None:
    intent_id = event.data.object.to_dict().get("payment_intent")
    if not Payment.objects.filter(stripe_payment_intent_id=intent_id).exists():
        raise RetryLater(f"No payment for {intent_id} yet.")
    refunds_record_external(payment_intent_id=intent_id)


HANDLERS: dict[str, Callable[[stripe.Event], None]] = {
    "payment_intent.succeeded": _payment_intent_changed,
    "payment_intent.payment_failed": _payment_intent_changed,
    "charge.refunded": _charge_refunded,
}


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponse("STRIPE_WEBHOOK_SECRET is not set.", status=500)
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )  # fmt: skip
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse("Invalid payload or signature.", status=400)
    try:
        with transaction.atomic():
            _, created = StripeEvent.objects.get_or_create(
                event_id=event.id,
                defaults={"type": event.type, "payload": json.loads(request.body)},
            )
            if created and (handler := HANDLERS.get(event.type)):
                handler(event)
    except RetryLater as reason:
        return HttpResponse(str(reason), status=503)
    except IntegrityError:
        pass  # the same event, delivered twice at once: the other delivery handles it
    return HttpResponse(status=200)
