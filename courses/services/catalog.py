"""Writes to the catalog outside the admin form (demo data, imports): the same rules as
the form (`schedule.offering_plan_errors`, `refunds.refund_tier_errors`), all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from accounts.models import User
from accounts.roles import INSTRUCTOR

from ..exceptions import CatalogError
from ..models import Course, CourseDay, Offering, RefundTier, Venue
from ..refunds import Tier, refund_tier_errors
from ..schedule import DayPlan, OfferingPlan, offering_plan_errors


@transaction.atomic
def offering_create(
    *,
    course: Course,
    venue: Venue,
    capacity: int,
    instructors: Sequence[User],
    registration_opens_at: dt.datetime,
    registration_closes_at: dt.datetime,
    days: Sequence[DayPlan],
    status: str = Offering.Status.DRAFT,
    tiers: Sequence[Tier] = (),
    hours_reason: str = "",
) -> Offering:
    """Create an offering with its days and refund tiers, or raise CatalogError and save
    nothing."""
    plan = OfferingPlan(
        course_code=course.code,
        contact_hours=course.contact_hours,
        days=days,
        capacity=capacity,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        timezone=venue.tz,
        hours_reason=hours_reason,
        non_instructors=[str(u) for u in instructors if not u.groups.filter(name=INSTRUCTOR)],
    )
    errors = offering_plan_errors(plan)
    if tier_errors := refund_tier_errors(list(tiers)):
        errors["refund_tiers"] = tier_errors
    if errors:
        raise CatalogError(errors)
    offering = Offering(
        course=course,
        venue=venue,
        capacity=capacity,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        status=status,
        hours_reason=hours_reason,
    )
    offering.full_clean()
    offering.instructors.set(instructors)  # a parental M2M: committed by save()
    offering.save()
    # One by one, not bulk_create: each row's first version goes into its history.
    for d in days:
        CourseDay.objects.create(
            offering=offering, date=d.date, start_time=d.start_time, end_time=d.end_time,
            scheduled_hours=d.scheduled_hours,
        )  # fmt: skip
    for t in tiers:
        RefundTier.objects.create(
            offering=offering, days_before_start=t.days_before_start, percent=t.percent
        )
    return offering
