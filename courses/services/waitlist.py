"""The waitlist and expiring holds (DESIGN.md 3.3): when an offering is full a learner may
queue; a freed seat is offered to the first in line with a WAITLIST_OFFER_HOURS hold, then,
if it lapses, to the next. Everything runs under the offering's row lock."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError
from ..gate import enrollment_refusals
from ..models import Enrollment, Payment
from ..tasks import hold_expired_send, waitlist_offer_send
from .enrollment import _offering_locked

SEATS_AVAILABLE = "Seats are available: enroll instead of joining the waitlist."


@transaction.atomic
def waitlist_join(*, learner: User, offering_id: int, now: dt.datetime) -> Enrollment:
    """Queue the learner for a full offering (same gate as enrolling)."""
    offering = _offering_locked(offering_id)
    facts = selectors.enrollment_gate_facts(learner=learner, offering=offering, now=now)
    if reasons := enrollment_refusals(facts):
        raise EnrollmentError(reasons)
    if selectors.seats_taken_count(offering=offering, now=now) < offering.capacity:
        raise EnrollmentError([SEATS_AVAILABLE])
    return Enrollment.objects.create(
        learner=learner, offering=offering, status=Enrollment.Status.WAITLISTED
    )


NOT_ON_WAITLIST = "You are not on the waitlist for this offering."
PAYMENT_UNDER_WAY = "Your payment for this seat is under way: wait for its answer first."


@transaction.atomic
def waitlist_leave(*, learner: User, enrollment_id: int, now: dt.datetime) -> Enrollment:
    """Take the learner off the waitlist. A seat already offered to them is declined and
    goes to the next in line at once."""
    enrollment = selectors.enrollment_locked_for_learner(learner=learner, pk=enrollment_id)
    offered = enrollment.status == Enrollment.Status.OFFERED and enrollment.arranged_by_id is None
    if enrollment.status != Enrollment.Status.WAITLISTED and not offered:
        raise EnrollmentError([NOT_ON_WAITLIST])
    if enrollment.payments.exclude(status=Payment.Status.FAILED).exists():
        raise EnrollmentError([PAYMENT_UNDER_WAY])
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    if offered:
        waitlist_offer_next(offering_id=enrollment.offering_id, now=now)
    return enrollment


def waitlist_position(enrollment: Enrollment) -> int:
    """1 for the first in line."""
    ahead = Q(created_at__lt=enrollment.created_at) | Q(
        created_at=enrollment.created_at, pk__lt=enrollment.pk
    )
    queue = Enrollment.objects.filter(
        offering_id=enrollment.offering_id, status=Enrollment.Status.WAITLISTED
    )
    return queue.filter(ahead).count() + 1


@transaction.atomic
def waitlist_offer_next(*, offering_id: int, now: dt.datetime) -> list[Enrollment]:
    """Offer every free seat to the next learners in line; return the offers made. A learner
    who holds a live seat in another offering of the course is passed over (one live seat per
    course, as when enrolling) but keeps their place, for when that seat lapses or goes."""
    offering = _offering_locked(offering_id)
    free = offering.capacity - selectors.seats_taken_count(offering=offering, now=now)
    queue = Enrollment.objects.filter(
        offering=offering, status=Enrollment.Status.WAITLISTED
    ).order_by("created_at", "pk")
    offers = _first_without_seat(queue, count=free, course_id=offering.course_id, now=now)
    expires = now + dt.timedelta(hours=settings.WAITLIST_OFFER_HOURS)
    for enrollment in offers:
        enrollment.status = Enrollment.Status.OFFERED
        enrollment.hold_expires_at = expires
        enrollment.save(update_fields=["status", "hold_expires_at"])
        transaction.on_commit(
            lambda pk=enrollment.pk: waitlist_offer_send.enqueue(enrollment_id=pk)
        )
    return offers


def _first_without_seat(
    queue: QuerySet[Enrollment], *, count: int, course_id: int, now: dt.datetime
) -> list[Enrollment]:
    """The first `count` in line who hold no live seat in the course."""
    chosen: list[Enrollment] = []
    if count <= 0:
        return chosen
    for enrollment in queue.select_related("learner"):
        if not selectors.live_seats_in_course(
            learner=enrollment.learner, course_id=course_id, now=now
        ):
            chosen.append(enrollment)
            if len(chosen) == count:
                break
    return chosen


def holds_expire(*, now: dt.datetime) -> int:
    """Close every lapsed hold (held or offered seat), tell the learner, and pass freed
    seats down the waitlist. Returns how many holds lapsed. Run every minute or so. A hold
    whose payment was started in time and is still in flight stays (see
    `selectors.payment_in_flight`)."""
    lapsed = (
        Enrollment.objects.filter(status__in=Enrollment.HOLD_STATUSES, hold_expires_at__lte=now)
        .exclude(selectors.payment_in_flight())
        .values_list("pk", "offering_id")
    )
    offerings = set()
    for pk, offering_id in lapsed:
        with transaction.atomic():
            enrollment = Enrollment.objects.select_for_update().get(pk=pk)
            if enrollment.status not in Enrollment.HOLD_STATUSES:
                continue  # paid meanwhile
            if enrollment.payments.filter(status=Payment.Status.PENDING).exists():
                continue  # the learner paid in time and Stripe has not answered yet
            enrollment.status = Enrollment.Status.CANCELLED
            enrollment.save(update_fields=["status"])
            transaction.on_commit(lambda pk=pk: hold_expired_send.enqueue(enrollment_id=pk))
        offerings.add(offering_id)
    for offering_id in offerings:
        waitlist_offer_next(offering_id=offering_id, now=now)
    return len(lapsed)
