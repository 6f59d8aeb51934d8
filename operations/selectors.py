"""What the registrar's dashboard shows: the coming offerings with their seats, waitlists and
money, and the work queues. A fixed number of queries (subqueries, not per-row lookups)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from certification.models import Certificate
from certification.review import rules_due_for_review
from config.dates import provider_day_start
from courses.models import Enrollment, Offering, Payment, Refund
from courses.selectors import offerings_admin
from learners.models import License, OutsideTraining
from learners.selectors import licenses_expiring_within

UPCOMING_DAYS = 90
EXPIRY_DAYS = 60


def _money(model: type, path: str) -> Coalesce:
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, status="succeeded")
        .values(path)
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _count(condition: Q) -> Count:
    return Count("enrollments", filter=condition, distinct=True)


def offerings_ahead(*, today: dt.date, now: dt.datetime) -> QuerySet[Offering]:
    """Open or closed offerings starting in the next 90 days (or under way), with
    `confirmed`, `holds`, `waitlisted`, `paid_cents` and `refunded_cents`."""
    return (
        offerings_admin(now=now)
        .filter(
            status__in=[Offering.Status.OPEN, Offering.Status.CLOSED],
            last_day__gte=today,
            first_day__lte=today + dt.timedelta(days=UPCOMING_DAYS),
        )
        .annotate(
            confirmed=_count(Q(enrollments__status__in=Enrollment.SEAT_STATUSES)),
            holds=_count(
                Q(enrollments__status__in=Enrollment.HOLD_STATUSES)
                & Q(enrollments__hold_expires_at__gt=now)
            ),
            waitlisted=_count(Q(enrollments__status=Enrollment.Status.WAITLISTED)),
            paid_cents=_money(Payment, "enrollment__offering"),
            refunded_cents=_money(Refund, "payment__enrollment__offering"),
        )
    )


def payments_needing_a_decision() -> QuerySet[Payment]:
    """Flagged payments (paid without a seat, an amount that does not match) neither decided
    nor refunded in full: a registrar decides, from the payment's page."""
    refunded = Sum("refunds__amount_cents", filter=Q(refunds__status=Refund.Status.SUCCEEDED))
    return (
        Payment.objects.exclude(attention_reason="")
        .filter(decided_at__isnull=True)
        .annotate(refunded=Coalesce(refunded, 0))
        .filter(refunded__lt=F("amount_cents"))
    )


@dataclass(frozen=True)
class Queues:
    licenses_to_verify: int
    outside_to_verify: int
    payments_to_decide: int
    certificates_this_month: int
    licenses_expiring: int
    rules_to_review: int


def work_queues(*, today: dt.date) -> Queues:
    month_start = provider_day_start(today.replace(day=1))
    return Queues(
        licenses_to_verify=License.objects.filter(status=License.Status.UNVERIFIED).count(),
        outside_to_verify=OutsideTraining.objects.filter(
            status=OutsideTraining.Status.SUBMITTED
        ).count(),
        payments_to_decide=payments_needing_a_decision().count(),
        certificates_this_month=Certificate.objects.filter(issued_at__gte=month_start).count(),
        licenses_expiring=licenses_expiring(today=today).count(),
        rules_to_review=rules_due_for_review(today=today).count(),
    )


def licenses_expiring(*, today: dt.date) -> QuerySet[License]:
    """Verified licenses, current today, that expire within 60 days (today included)."""
    return licenses_expiring_within(today=today, days=EXPIRY_DAYS).select_related(
        "learner__learner_profile", "profession"
    )
