"""A learner's enrollment pages: take a seat, pay for it, see their courses. Every lookup
is scoped to the signed-in learner: another learner's enrollment is a 404."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.errors import ApplicationError, error_json, error_messages

from . import seats, selectors
from .arrival import seat_confirmed_message
from .checkin_cards import checkin_cards
from .exceptions import EnrollmentError
from .models import Enrollment, Offering, Payment, Refund
from .money import format_money
from .services.cancellation import REFUND_FAILED, cancellation_quote, enrollment_cancel
from .services.enrollment import enrollment_hold
from .services.payments import (
    NO_ANSWER,
    CardUnusable,
    PaymentOutcome,
    payment_refresh,
    payment_start,
)
from .services.transfer import enrollment_transfer, transfer_targets
from .services.waitlist import waitlist_join, waitlist_leave, waitlist_position

ALREADY_PAID = "Your seat is confirmed and paid for: this is its receipt."
PAID_AGAIN = "Your seat is already confirmed and paid for: nothing more was charged."


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _checkout_csp() -> dict[str, list[str]]:
    """The site's policy plus Stripe.js, its API and (real Stripe) its frames."""
    js = _origin(settings.STRIPE_JS_URL)
    api = (
        _origin(settings.STRIPE_API_BASE) if settings.STRIPE_API_BASE else "https://api.stripe.com"
    )
    policy = {key: list(values) for key, values in settings.SECURE_CSP.items()}
    policy["script-src"] += [js]
    policy["connect-src"] += [api]
    policy["frame-src"] = [CSP.SELF, js, "https://hooks.stripe.com"]
    return policy


@login_required
@require_POST
def join_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = waitlist_join(learner=request.user, offering_id=pk, now=timezone.now())
    except Offering.DoesNotExist:
        raise Http404("No such offering.") from None
    except EnrollmentError as error:
        error_messages(request, error)
        return redirect("offering_detail", pk=pk)
    messages.success(
        request,
        f"You are number {waitlist_position(entry)} on the waitlist. We will email you if a "
        "seat opens.",
    )
    return redirect("my_courses")


@login_required
@require_POST
def leave_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        left = waitlist_leave(learner=request.user, enrollment_id=pk, now=timezone.now())
    except Enrollment.DoesNotExist:
        raise Http404("No such enrollment.") from None
    except EnrollmentError as error:
        for reason in error.reasons:
            messages.error(request, reason)
        return redirect("my_courses")
    messages.success(request, f"You have left the waitlist for {left.offering}.")
    return redirect("my_courses")


@login_required
@require_POST
def enroll(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        hold = enrollment_hold(learner=request.user, offering_id=pk, now=timezone.now())
    except Offering.DoesNotExist:
        raise Http404("No such offering.") from None
    except EnrollmentError as error:
        error_messages(request, error)
        return redirect("offering_detail", pk=pk)
    return redirect("checkout", pk=hold.pk)


def _paid_seat_redirect(request: HttpRequest, enrollment: Enrollment) -> HttpResponse:
    """A seat already paid for: its receipt (My courses for a seat given without payment)."""
    messages.info(request, ALREADY_PAID)
    payment = selectors.payment_for(enrollment)
    return redirect("receipt", pk=payment.pk) if payment else redirect("my_courses")


@login_required
@never_cache  # Back after paying must ask again, never show the cached "seat held" page.
def checkout(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = selectors.enrollment_get_for_user(user=request.user, pk=pk)
    if enrollment.status in Enrollment.SEAT_STATUSES:
        return _paid_seat_redirect(request, enrollment)
    if not selectors.hold_is_live(enrollment, now=timezone.now()):
        messages.error(request, "Your seat hold has expired. Enroll again to hold a new seat.")
        return redirect("offering_detail", pk=enrollment.offering_id)
    response = render(request, "courses/checkout.html", {
        "enrollment": enrollment,
        "offering": enrollment.offering,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    })  # fmt: skip
    # What @csp_override sets, computed per request from the Stripe settings.
    response._csp_config = _checkout_csp()  # type: ignore[attr-defined]
    return response


def _outcome_json(
    request: HttpRequest, outcome: PaymentOutcome, payment_id: int | None
) -> JsonResponse:
    # Shown on the page the browser goes to: what went wrong, or what comes next.
    if outcome.status == Payment.Status.SUCCEEDED and outcome.message:
        messages.warning(request, outcome.message)
    elif outcome.status == Payment.Status.SUCCEEDED and payment_id:
        payment = Payment.objects.select_related("enrollment__learner").get(pk=payment_id)
        seat = selectors.seat_paid_by(payment)
        if seat.status in Enrollment.SEAT_STATUSES:
            messages.success(request, seat_confirmed_message(seat))
    return JsonResponse({
        "status": outcome.status,
        "message": outcome.message,
        "client_secret": outcome.client_secret,
        "redirect": reverse("my_courses"),
        "refresh_url": reverse("payment_refresh", args=[payment_id]) if payment_id else None,
    })  # fmt: skip


# What Stripe.js's createToken hands the browser (a card), or a PaymentMethod id.
CARD_ID = re.compile(r"(card|pm)_\w{1,250}", re.ASCII)
NO_CARD = "No card was sent."
BAD_CARD = "That is not a card from the payment form. Nothing was charged; enter the card again."


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> JsonResponse:
    enrollment = selectors.enrollment_get_for_user(user=request.user, pk=pk)
    if enrollment.status in Enrollment.SEAT_STATUSES:  # a second Pay from a stale page
        payment = selectors.payment_for(enrollment)
        messages.info(request, PAID_AGAIN)
        target = reverse("receipt", args=[payment.pk]) if payment else reverse("my_courses")
        return JsonResponse({"status": Payment.Status.SUCCEEDED, "redirect": target})
    try:
        card_id = json.loads(request.body or b"{}")["card_id"]
    except (ValueError, KeyError, TypeError):
        return error_json(ApplicationError(NO_CARD))
    if not isinstance(card_id, str) or not CARD_ID.fullmatch(card_id):
        return error_json(ApplicationError(BAD_CARD))
    try:
        outcome = payment_start(
            learner=request.user, enrollment_id=enrollment.pk, card_id=card_id, now=timezone.now()
        )
    except CardUnusable as error:
        return error_json(error)
    except EnrollmentError as error:
        return error_json(error, status=409)
    return _outcome_json(request, outcome, outcome.payment_id)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        outcome = payment_refresh(learner=request.user, payment_id=pk, now=timezone.now())
    except stripe.StripeError:
        outcome = PaymentOutcome(Payment.Status.PENDING, message=NO_ANSWER)
    return _outcome_json(request, outcome, pk)


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    enrollments = list(selectors.enrollments_for_learner(learner=request.user))
    rows = [seats.seat_actions(enrollment, now=now) for enrollment in enrollments]
    return render(request, "courses/my_courses.html", {
        "rows": rows, "checkins": list(checkin_cards(enrollments, now=now).values()),
    })  # fmt: skip


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get_for_user(user=request.user, pk=pk, succeeded=True)
    return render(request, "courses/receipt.html", {
        "payment": payment,
        # Every money movement of this payment, oldest first: refunds are rows, never edits.
        "refunds": payment.refunds.order_by("created_at", "pk"),
        "kept_cents": selectors.amount_kept(payment),
        "offering": payment.enrollment.offering,
        "name": selectors.learner_display_name(request.user),
    })  # fmt: skip


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what cancelling returns; POST: cancel and refund."""
    enrollment = selectors.enrollment_get_for_user(user=request.user, pk=pk)
    now = timezone.now()
    if request.method == "POST":
        try:
            refund = enrollment_cancel(learner=request.user, enrollment_id=pk, now=now)
        except EnrollmentError as error:
            error_messages(request, error)
            return redirect("my_courses")
        if refund and refund.status == Refund.Status.FAILED:
            amount = format_money(refund.amount_cents, refund.currency)
            messages.warning(request, REFUND_FAILED.format(amount=amount))
            return redirect("my_courses")
        back = (
            f" {format_money(refund.amount_cents, refund.currency)} is on its way back."
            if refund
            else ""
        )
        messages.success(request, f"Your seat is cancelled.{back}")
        return redirect("my_courses")
    return render(request, "courses/cancel.html", {
        "enrollment": enrollment,
        "offering": enrollment.offering,
        "quote": cancellation_quote(
            enrollment=enrollment, payment=selectors.payment_for(enrollment), now=now
        ),
        "refusal": seats.seat_change_refusal(enrollment, now=now),
    })  # fmt: skip


@login_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the other offerings of the course; POST: move the seat to one of them."""
    enrollment = selectors.enrollment_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            target = int(request.POST.get("offering", ""))
            moved = enrollment_transfer(learner=request.user, enrollment_id=pk,
                                        target_offering_id=target, now=timezone.now())  # fmt: skip
        except ValueError:
            messages.error(request, "Choose the offering to move to.")
            return redirect("transfer", pk=pk)
        except EnrollmentError as error:
            error_messages(request, error)
            return redirect("transfer", pk=pk)
        messages.success(request, f"Your seat is now in {moved.offering}.")
        return redirect("my_courses")
    refusal = seats.transfer_refusal(enrollment, now=timezone.now())
    return render(request, "courses/transfer.html", {
        "enrollment": enrollment,
        "refusal": refusal,
        "targets": [] if refusal else transfer_targets(enrollment=enrollment),
    })  # fmt: skip
