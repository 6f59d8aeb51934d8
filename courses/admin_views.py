"""Registrar actions in the Wagtail admin that are more than editing a row."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import user_is_staff_member

from .exceptions import EnrollmentError
from .models import Payment
from .money import format_money
from .services.cancellation import refund_issue


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), decimal_places=2, label="Amount ($)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    cancel_seat = forms.BooleanField(
        required=False, label="Also cancel the seat (it goes to the waitlist)"
    )


def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    payment = get_object_or_404(
        Payment.objects.select_related("enrollment__learner", "enrollment__offering__course"),
        pk=pk, status=Payment.Status.SUCCEEDED,
    )  # fmt: skip
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            refund = refund_issue(
                registrar=request.user,
                payment_id=payment.pk,
                amount_cents=int(form.cleaned_data["amount"] * 100),
                reason=form.cleaned_data["reason"],
                cancel_seat=form.cleaned_data["cancel_seat"],
            )
        except EnrollmentError as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            messages.success(
                request, f"Refunded {format_money(refund.amount_cents, refund.currency)}."
            )
            return redirect("wagtailsnippets_courses_payment:list")
    return render(request, "courses/admin/payment_refund.html", {
        "payment": payment, "form": form, "refunds": payment.refunds.all(),
    })  # fmt: skip
