"""Enrollment emails, sent by the task worker (DESIGN.md 5) after the change commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.site import email_context, email_subject, site_url

from . import selectors
from .arrival import WHAT_TO_BRING
from .calendar import offering_calendar
from .models import Enrollment, Payment, Refund


@task()
def enrollment_confirmation_send(*, enrollment_id: int, payment_id: int | None = None) -> int:
    """The confirmation of a seat (paid, moved or complimentary) with the receipt link when
    it was paid for, and the course days as an .ics file."""
    payment = Payment.objects.get(pk=payment_id) if payment_id else None
    enrollment = Enrollment.objects.select_related(
        "learner__learner_profile", "offering__course", "offering__venue"
    ).get(pk=enrollment_id)
    offering = enrollment.offering
    base = site_url()
    context = {
        **email_context(),
        "payment": payment,
        "offering": offering,
        "name": selectors.learner_display_name(enrollment.learner),
        "receipt_url": base + reverse("receipt", args=[payment.pk]) if payment else "",
        "paid_cents": selectors.amount_kept(payment) if payment else 0,
        "offering_url": base + reverse("offering_detail", args=[offering.pk]),
        "bring": WHAT_TO_BRING,
    }
    message = EmailMultiAlternatives(
        subject=email_subject(f"You're enrolled: {offering.course.code} in {offering.venue.city}"),
        body=render_to_string("courses/email/enrollment_confirmed.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[enrollment.learner.email],
    )
    message.attach(
        f"{offering.course.code}.ics",
        offering_calendar(offering, url=context["offering_url"], now=timezone.now()),
        "text/calendar",
    )
    return message.send()


@task()
def enrollment_cancelled_send(
    *, enrollment_id: int, source: str = Refund.Source.CANCELLATION
) -> int:
    """Confirm a cancellation (the learner's, or a full refund made in Stripe's dashboard),
    with the refund it returned, or what happens when Stripe refused it."""
    return _learner_email(enrollment_id, "Cancelled: {code} in {city}",
                          "courses/email/enrollment_cancelled.txt",
                          refunds=_refunds(enrollment_id, source))  # fmt: skip


def _refunds(enrollment_id: int, source: str) -> QuerySet[Refund]:
    """The refunds of this kind on the payment that paid for the seat (its own, or that of
    the seat it was moved from)."""
    payment = selectors.payment_for(Enrollment.objects.get(pk=enrollment_id))
    return Refund.objects.filter(payment=payment, source=source)


def _learner_email(enrollment_id: int, subject: str, template: str, **extra: object) -> int:
    enrollment = Enrollment.objects.select_related(
        "learner", "offering__course", "offering__venue"
    ).get(pk=enrollment_id)
    base = site_url()
    context = {
        **email_context(),
        "name": selectors.learner_display_name(enrollment.learner),
        "enrollment": enrollment,
        "offering": enrollment.offering,
        "checkout_url": base + reverse("checkout", args=[enrollment.pk]),
        "offering_url": base + reverse("offering_detail", args=[enrollment.offering_id]),
        "courses_url": base + reverse("offering_list"),
        **extra,
    }
    return EmailMultiAlternatives(
        subject=email_subject(subject.format(code=enrollment.offering.course.code,
                                             city=enrollment.offering.venue.city)),
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[enrollment.learner.email],
    ).send()  # fmt: skip


@task()
def waitlist_offer_send(*, enrollment_id: int) -> int:
    """A seat freed up: the learner at the head of the waitlist may take it."""
    return _learner_email(enrollment_id, "A seat is yours to take: {code} in {city}",
                          "courses/email/waitlist_offer.txt")  # fmt: skip


@task()
def seat_offer_send(*, enrollment_id: int) -> int:
    """A registrar holds a seat for the learner to pay for."""
    return _learner_email(enrollment_id, "A seat is held for you: {code} in {city}",
                          "courses/email/seat_offered.txt")  # fmt: skip


@task()
def offering_cancelled_send(*, enrollment_id: int, reason: str) -> int:
    """The provider cancelled the offering: the reason, and the refund if one is due."""
    return _learner_email(enrollment_id, "Cancelled by us: {code} in {city}",
                          "courses/email/offering_cancelled.txt", reason=reason,
                          refunds=_refunds(enrollment_id, Refund.Source.OFFERING))  # fmt: skip


@task()
def hold_expired_send(*, enrollment_id: int) -> int:
    """The learner's seat hold lapsed without payment."""
    return _learner_email(enrollment_id, "Your seat hold expired: {code} in {city}",
                          "courses/email/hold_expired.txt")  # fmt: skip


@task()
def payment_flagged_send(*, payment_id: int, why: str) -> int:
    """The learner paid but the seat could not be confirmed: what happens next."""
    payment = Payment.objects.get(pk=payment_id)
    return _learner_email(payment.enrollment_id, "Your payment for {code} in {city}",
                          "courses/email/payment_flagged.txt", payment=payment,
                          why=why)  # fmt: skip


@task()
def reminder_send(*, enrollment_id: int, days: int) -> int:
    """The course starts in `days` days: where, when, what to bring."""
    when = "tomorrow" if days == 1 else f"in {days} days"
    return _learner_email(enrollment_id, f"{{code}} starts {when}: {{city}}",
                          "courses/email/reminder.txt", bring=WHAT_TO_BRING)  # fmt: skip
