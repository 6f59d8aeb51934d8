"""Registrar actions in the Wagtail admin that are more than editing a row."""

from __future__ import annotations

from decimal import Decimal

import stripe
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import user_is_staff_member
from config.errors import error_on_form

from . import selectors
from .exceptions import EnrollmentError
from .models import Offering, Payment
from .money import format_money
from .services.cancellation import refund_issue
from .services.decisions import payment_accept, payment_place_in_seat


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), decimal_places=2, label="Amount ($)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    cancel_seat = forms.BooleanField(
        required=False, label="Also cancel the seat (it goes to the waitlist)"
    )


class PlaceForm(forms.Form):
    offering = forms.ModelChoiceField(queryset=Offering.objects.none(), label="Offering")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, payment: Payment, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = selectors.offerings_upcoming(
            course=payment.enrollment.offering.course
        )


class AcceptForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


def _decide(request: HttpRequest, payment: Payment) -> tuple[PlaceForm, AcceptForm, bool]:
    """The place-in-a-seat and accept forms; True once one of them recorded a decision."""
    action = request.POST.get("action")
    # Prefixed: three forms on one page each have a reason field.
    place = PlaceForm(request.POST if action == "place" else None, payment=payment, prefix="place")
    accept = AcceptForm(request.POST if action == "accept" else None, prefix="accept")
    try:
        if action == "place" and place.is_valid():
            payment_place_in_seat(
                registrar=request.user, payment_id=payment.pk, now=timezone.now(),
                offering_id=place.cleaned_data["offering"].pk, reason=place.cleaned_data["reason"],
            )  # fmt: skip
            return place, accept, True
        if action == "accept" and accept.is_valid():
            payment_accept(registrar=request.user, payment_id=payment.pk,
                           reason=accept.cleaned_data["reason"], now=timezone.now())  # fmt: skip
            return place, accept, True
    except EnrollmentError as error:
        error_on_form(place if action == "place" else accept, error)
    return place, accept, False


def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    payment = get_object_or_404(
        Payment.objects.select_related(
            "enrollment__learner__learner_profile", "enrollment__offering__course"
        ),
        pk=pk, status=Payment.Status.SUCCEEDED,
    )  # fmt: skip
    place, accept, decided = _decide(request, payment)
    if decided:
        messages.success(request, "Decision saved.")
        return redirect("courses_payment_refund", pk=payment.pk)
    is_refund = request.method == "POST" and request.POST.get("action", "refund") == "refund"
    form = RefundForm(request.POST if is_refund else None)
    if is_refund and form.is_valid():
        try:
            refund = refund_issue(
                registrar=request.user,
                payment_id=payment.pk,
                amount_cents=int(form.cleaned_data["amount"] * 100),
                reason=form.cleaned_data["reason"],
                cancel_seat=form.cleaned_data["cancel_seat"],
            )
        except EnrollmentError as error:
            error_on_form(form, error)
        except stripe.StripeError as error:
            form.add_error(None, f"Stripe did not accept the refund: {error.user_message or error}")
        else:
            messages.success(
                request, f"Refunded {format_money(refund.amount_cents, refund.currency)}."
            )
            return redirect("wagtailsnippets_courses_payment:list")
    return render(request, "courses/admin/payment_refund.html", {
        "payment": payment, "form": form, "refunds": payment.refunds.all(),
        "seat": selectors.seat_paid_by(payment), "kept": selectors.amount_kept(payment),
        "place_form": place, "accept_form": accept,
    })  # fmt: skip
