"""Reads for the public catalog: offerings with their dates and seats, in a fixed number
of queries whatever their number (subqueries, not per-row lookups)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from .models import Course, CourseDay, Enrollment, Offering


def _seats_taken(now: dt.datetime) -> Coalesce:
    """Confirmed (or finished) seats plus holds that have not expired."""
    occupying = Q(status__in=Enrollment.SEAT_STATUSES) | Q(
        status__in=Enrollment.HOLD_STATUSES, hold_expires_at__gt=now
    )
    taken = (
        Enrollment.objects.filter(occupying, offering=OuterRef("pk"))
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def _day_bound(order: str) -> Subquery:
    days = CourseDay.objects.filter(offering=OuterRef("pk")).order_by(order).values("date")
    return Subquery(days[:1])


def offerings_admin(*, now: dt.datetime | None = None) -> QuerySet[Offering]:
    """Every offering, drafts included, annotated with `first_day`, `last_day` and
    `seats_taken`, days prefetched, soonest first."""
    return (
        Offering.objects.select_related("course", "venue")
        .prefetch_related(Prefetch("days", queryset=CourseDay.objects.order_by("date")))
        .annotate(
            first_day=_day_bound("date"),
            last_day=_day_bound("-date"),
            seats_taken=_seats_taken(now or timezone.now()),
        )
        .order_by("first_day", "pk")
    )


def offerings_public(*, now: dt.datetime | None = None) -> QuerySet[Offering]:
    """What the public may see: every offering but drafts (see `offerings_admin`)."""
    return offerings_admin(now=now).exclude(status=Offering.Status.DRAFT)


def offerings_upcoming(
    *, course: Course | None = None, today: dt.date | None = None
) -> QuerySet[Offering]:
    """Open or closed offerings that have not ended yet (cancelled ones are left out),
    with their instructors (course pages name them in structured data)."""
    offerings = (
        offerings_public()
        .prefetch_related("instructors")
        .filter(
            last_day__gte=today or timezone.localdate(),
            status__in=[Offering.Status.OPEN, Offering.Status.CLOSED],
        )
    )
    return offerings.filter(course=course) if course else offerings


def offering_get_public(*, pk: int) -> Offering:
    """The offering with this id unless it is a draft; 404 otherwise."""
    offerings = offerings_public().select_related("course__page")
    offerings = offerings.prefetch_related("refund_tiers", "instructors")
    try:
        return offerings.get(pk=pk)
    except Offering.DoesNotExist:
        raise Http404("No such offering.") from None
