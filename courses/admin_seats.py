"""Registrar pages for seats: an offering's seats (everyone in it, and adding a learner)
and one enrollment (its history, payment and a move to another offering)."""

from __future__ import annotations

import stripe
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import User
from accounts.roles import user_is_staff_member
from config.dates import provider_today
from config.errors import error_on_form

from . import selectors
from .exceptions import EnrollmentError
from .models import Enrollment, Offering
from .money import format_money
from .services.offering_cancellation import LIVE, Settlement, offering_cancel, offering_settle
from .services.registrar_seats import Arrangement, offering_refusal, seat_arrange, seat_move

NO_SUCH_LEARNER = "No account uses this email: the learner signs up first."
STRIPE_REFUSED_MOVE = (
    "Stripe did not accept the refund of the price difference, so nothing was moved. "
    "Try again later, or look at the payment in Stripe's dashboard."
)
ROW_ORDER = [
    *Enrollment.SEAT_STATUSES, *Enrollment.HOLD_STATUSES, Enrollment.Status.WAITLISTED,
    Enrollment.Status.CANCELLED, Enrollment.Status.REFUNDED,
]  # fmt: skip


class ArrangeForm(forms.Form):
    email = forms.EmailField(label="Learner's email")
    kind = forms.ChoiceField(
        choices=Arrangement.choices, initial=Arrangement.OFFER, widget=forms.RadioSelect,
        label="Seat",
    )  # fmt: skip
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def clean_email(self) -> User:
        learner = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if learner is None:
            raise forms.ValidationError(NO_SUCH_LEARNER)
        return learner


class OfferingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offering) -> str:
        return f"{obj} · {format_money(obj.course.price_cents, obj.course.currency)}"


class MoveForm(forms.Form):
    offering = OfferingChoiceField(queryset=Offering.objects.none(), label="Move to")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    waive_difference = forms.BooleanField(
        required=False, label="If it costs more than was paid, waive the difference"
    )

    def __init__(self, *args: object, enrollment: Enrollment, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = (
            selectors.offerings_upcoming()
            .filter(first_day__gt=provider_today())
            .exclude(pk=enrollment.offering_id)
        )


class CancelOfferingForm(forms.Form):
    reason = forms.CharField(
        label="Why (the learners read it)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “The instructor is ill; we are sorry for the trouble.”",
    )
    confirm = forms.BooleanField(
        label="Refund every confirmed seat in full and close the holds and the waitlist"
    )


def _staff_only(request: HttpRequest) -> None:
    if not user_is_staff_member(request.user):
        raise PermissionDenied


def _rows(offering: Offering) -> QuerySet[Enrollment]:
    order = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(ROW_ORDER)),
        default=Value(len(ROW_ORDER)), output_field=IntegerField(),
    )  # fmt: skip
    return (
        offering.enrollments.select_related(
            "learner__learner_profile", "transferred_from__offering__venue"
        )
        .annotate(row_order=order)
        .order_by("row_order", "created_at", "pk")
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _settled_message(request: HttpRequest, settlement: Settlement, currency: str) -> None:
    refunded = format_money(sum(r.amount_cents for r in settlement.refunds), currency)
    text = (
        f"Refunded in full: {_count(len(settlement.refunds), 'seat')} ({refunded}). "
        f"Closed without a refund: {_count(settlement.closed, 'place')}. Each learner is emailed."
    )
    if settlement.failed:
        messages.error(request, f"{text} Stripe refused the refund for "
                                f"{', '.join(settlement.failed)}: settle again.")  # fmt: skip
    else:
        messages.success(request, text)


def _cancel(request: HttpRequest, offering: Offering) -> tuple[CancelOfferingForm, bool]:
    """The cancel (or settle again) form; True once it did its work."""
    action = request.POST.get("action")
    # Prefixed: the add-a-learner form on the same page has a reason field too.
    form = CancelOfferingForm(
        request.POST if action in ("cancel", "settle") else None, prefix="cancel"
    )
    if not form.is_valid():
        return form, False
    reason = form.cleaned_data["reason"]
    try:
        if action == "cancel":
            settlement = offering_cancel(registrar=request.user, offering_id=offering.pk,
                                         reason=reason, now=timezone.now())  # fmt: skip
        else:
            settlement = offering_settle(registrar=request.user, offering_id=offering.pk,
                                         reason=reason)  # fmt: skip
    except EnrollmentError as error:
        error_on_form(form, error)
        return form, False
    _settled_message(request, settlement, offering.course.currency)
    return form, True


def offering_seats(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    offering = get_object_or_404(selectors.offerings_admin(), pk=pk)
    cancel_form, done = _cancel(request, offering)
    if done:
        return redirect("courses_offering_seats", pk=offering.pk)
    form = ArrangeForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST" and form.is_valid():
        try:
            seat = seat_arrange(
                registrar=request.user, learner=form.cleaned_data["email"],
                offering_id=offering.pk, kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"], now=timezone.now(),
            )  # fmt: skip
        except EnrollmentError as error:
            error_on_form(form, error)
        else:
            messages.success(request, f"{seat.learner.email}: {seat.get_status_display()}.")
            return redirect("courses_offering_seats", pk=offering.pk)
    enrollments = list(_rows(offering))
    return render(request, "courses/admin/offering_seats.html", {
        "offering": offering, "enrollments": enrollments, "form": form,
        "waitlisted": sum(e.status == Enrollment.Status.WAITLISTED for e in enrollments),
        "hold_hours": settings.WAITLIST_OFFER_HOURS,
        "closed_because": offering_refusal(offering, timezone.now()),
        "cancel_form": cancel_form,
        "unsettled": offering.status == Offering.Status.CANCELLED
        and any(e.status in LIVE for e in enrollments),
    })  # fmt: skip


def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related(
            "learner__learner_profile", "offering__course", "offering__venue", "arranged_by",
            "transferred_from__offering__venue",
        ),
        pk=pk,
    )  # fmt: skip
    form = MoveForm(request.POST or None, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            move = seat_move(
                registrar=request.user, enrollment_id=enrollment.pk,
                offering_id=form.cleaned_data["offering"].pk, reason=form.cleaned_data["reason"],
                waive_difference=form.cleaned_data["waive_difference"], now=timezone.now(),
            )  # fmt: skip
        except EnrollmentError as error:
            error_on_form(form, error)
        except stripe.StripeError:
            form.add_error(None, STRIPE_REFUSED_MOVE)
        else:
            refunded = (
                f" {format_money(move.refund.amount_cents, move.refund.currency)} refunded."
                if move.refund
                else ""
            )
            messages.success(request, f"Moved to {move.seat.offering}.{refunded}")
            return redirect("courses_enrollment_detail", pk=move.seat.pk)
    moved_to = Enrollment.objects.filter(transferred_from=enrollment).first()
    payment = selectors.payment_for(enrollment)
    return render(request, "courses/admin/enrollment_detail.html", {
        "enrollment": enrollment, "moved_to": moved_to, "payment": payment,
        "refunds": payment.refunds.all() if payment else [],
        "form": form if enrollment.status == Enrollment.Status.CONFIRMED else None,
    })  # fmt: skip
