"""Reads for the public catalog: offerings with their dates and seats, in a fixed number
of queries whatever their number (subqueries, not per-row lookups)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from config.dates import provider_date, provider_today
from learners.models import LearnerProfile
from learners.selectors import learner_display_name, licenses_current

from .gate import GateFacts
from .models import (
    AssessmentResult,
    Course,
    CourseDay,
    Enrollment,
    Offering,
    Payment,
    Refund,
)
from .refunds import Balance, Tier
from .registration import State as RegistrationState
from .services.completion import hours_attended, latest_results


def payment_in_flight() -> Exists:
    """The enrollment has a payment Stripe has not answered yet. It was started while the
    hold was live, so the hold stays until Stripe answers (or `reconcile_payments` finds
    out): a learner who paid in time never loses the seat because Stripe was slow."""
    return Exists(Payment.objects.filter(enrollment=OuterRef("pk"), status=Payment.Status.PENDING))


def occupies_seat(now: dt.datetime) -> Q:
    """Enrollments that take a seat: confirmed (or finished) ones, unexpired holds, and
    holds kept by a payment in flight."""
    return Q(status__in=Enrollment.SEAT_STATUSES) | (
        Q(status__in=Enrollment.HOLD_STATUSES) & (Q(hold_expires_at__gt=now) | payment_in_flight())
    )


def _seats_taken(now: dt.datetime) -> Coalesce:
    taken = (
        Enrollment.objects.filter(occupies_seat(now), offering=OuterRef("pk"))
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def _day_bound(order: str) -> Subquery:
    days = CourseDay.objects.filter(offering=OuterRef("pk")).order_by(order).values("date")
    return Subquery(days[:1])


def offerings_dated() -> QuerySet[Offering]:
    """Every offering, drafts included, with its course and venue, annotated with
    `first_day` and `last_day`: what a page about one offering's class needs (the roster)."""
    return Offering.objects.select_related("course", "venue").annotate(
        first_day=_day_bound("date"), last_day=_day_bound("-date")
    )


def offerings_admin(*, now: dt.datetime | None = None) -> QuerySet[Offering]:
    """`offerings_dated` with `seats_taken` too and the days prefetched, soonest first."""
    return (
        offerings_dated()
        .prefetch_related(Prefetch("days", queryset=CourseDay.objects.order_by("date")))
        .annotate(seats_taken=_seats_taken(now or timezone.now()))
        .order_by("first_day", "pk")
    )


def offerings_public(*, now: dt.datetime | None = None) -> QuerySet[Offering]:
    """What the public may see: every offering but drafts (see `offerings_admin`)."""
    return offerings_admin(now=now).exclude(status=Offering.Status.DRAFT)


def offerings_upcoming(
    *, course: Course | None = None, today: dt.date | None = None
) -> QuerySet[Offering]:
    """Open or closed offerings that have not started yet (a class under way is no longer
    upcoming; cancelled ones are left out), with their instructors (course pages name them
    in structured data)."""
    offerings = (
        offerings_public()
        .prefetch_related("instructors")
        .filter(
            first_day__gt=today or provider_today(),
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


def enrollment_gate_facts(
    *, learner: User, offering: Offering, now: dt.datetime, moving: Enrollment | None = None
) -> GateFacts:
    """Everything the enrollment gate needs about this learner and offering; `moving` is the
    seat a transfer or move gives up, so it does not count as a seat in the course."""
    profile = LearnerProfile.objects.filter(user=learner).first()
    license_professions = licenses_current(today=provider_date(now)).filter(learner=learner)
    live = (
        Enrollment.objects.filter(learner=learner, offering=offering)
        .filter(occupies_seat(now) | Q(status=Enrollment.Status.WAITLISTED))
        .first()
    )
    course = offering.course
    return GateFacts(
        course_code=course.code,
        admitted_professions=frozenset(course.professions_admitted.values_list("code", flat=True)),
        prerequisites=list(course.prerequisites.order_by("code").values_list("code", flat=True)),
        registration=offering.registration_state(now),
        profile_complete=bool(profile and profile.is_complete),
        student_program=profile.student_program if profile else "",
        license_professions=frozenset(
            license_professions.values_list("profession__code", flat=True)
        ),
        completed_courses=frozenset(
            Enrollment.objects.filter(
                learner=learner, status=Enrollment.Status.COMPLETED
            ).values_list("offering__course__code", flat=True)
        ),
        live_enrollment_status=live.status if live else None,
        seat_in_course=_seat_in_course(learner, offering, now, moving),
    )


def live_seats_in_course(*, learner: User, course_id: int, now: dt.datetime) -> list[Enrollment]:
    """The learner's live seats in the course: confirmed in a class not yet finished (its
    last day not past at the venue), or a hold not yet lapsed. A completed or incomplete
    course may be taken again, and a finished class awaiting its sign-off blocks nothing."""
    live = Q(status=Enrollment.Status.CONFIRMED) | (
        Q(status__in=Enrollment.HOLD_STATUSES) & (Q(hold_expires_at__gt=now) | payment_in_flight())
    )
    seats = Enrollment.objects.filter(live, learner=learner, offering__course_id=course_id)
    return [
        seat
        for seat in seats.select_related("offering__venue").prefetch_related("offering__days")
        if seat.status != Enrollment.Status.CONFIRMED
        or seat.offering.registration_state(now).state != RegistrationState.FINISHED
    ]


def _seat_in_course(
    learner: User, offering: Offering, now: dt.datetime, moving: Enrollment | None
) -> str | None:
    seats = live_seats_in_course(learner=learner, course_id=offering.course_id, now=now)
    others = [s for s in seats if s.offering_id != offering.pk and s != moving]
    if not others:
        return None
    seat = others[0]
    venue, dates = seat.offering.venue, seat.offering.dates
    when = f", {dates[0]:%-d %B %Y}" if dates else ""
    return f"{venue.city}, {venue.region}{when}"


def seats_taken_count(
    *, offering: Offering, now: dt.datetime, excluding: Enrollment | None = None
) -> int:
    """Seats taken in the offering, leaving out `excluding` (a seat being confirmed)."""
    taken = Enrollment.objects.filter(occupies_seat(now), offering=offering)
    return taken.exclude(pk=excluding.pk).count() if excluding else taken.count()


def hold_is_live(enrollment: Enrollment, *, now: dt.datetime) -> bool:
    """A held (or offered) seat whose hold has not expired."""
    return (
        enrollment.is_hold
        and enrollment.hold_expires_at is not None
        and enrollment.hold_expires_at > now
    )


def enrollments_for_learner(*, learner: User) -> QuerySet[Enrollment]:
    """The learner's own enrollments, newest first, with offering, course, venue and days."""
    return (
        Enrollment.objects.filter(learner=learner)
        .select_related("offering__course", "offering__venue")
        .prefetch_related(
            Prefetch("offering__days", queryset=CourseDay.objects.order_by("date")), "payments"
        )
        .order_by("-created_at")
    )


def payment_for(enrollment: Enrollment) -> Payment | None:
    """The payment that paid for this seat: its own, or the one of the seat it was
    transferred from."""
    while enrollment is not None:
        # .all(), not .filter(): My courses prefetches payments, so this costs no query there.
        paid = [p for p in enrollment.payments.all() if p.status == Payment.Status.SUCCEEDED]
        if paid:
            return max(paid, key=lambda payment: payment.pk)
        enrollment = enrollment.transferred_from
    return None


def seat_paid_by(payment: Payment) -> Enrollment:
    """The seat a payment pays for now: its own enrollment, or the last seat that was moved
    on from it."""
    seat = payment.enrollment
    while (moved := Enrollment.objects.filter(transferred_from=seat).first()) is not None:
        seat = moved
    return seat


def payment_balance(payment: Payment) -> Balance:
    """What the payment holds, for `courses.refunds`: its refunds sent or on their way are
    taken off; one Stripe refused gave nothing back."""
    refunded = payment.refunds.exclude(status=Refund.Status.FAILED)
    return Balance(
        paid_cents=payment.amount_cents,
        currency=payment.currency,
        refunded_cents=tuple(refunded.values_list("amount_cents", flat=True)),
    )


def refund_tiers(offering: Offering) -> list[Tier]:
    """The offering's own refund tiers (none: the standard ones apply, see `courses.refunds`)."""
    return [Tier(t.days_before_start, t.percent) for t in offering.refund_tiers.all()]


def amount_kept(payment: Payment) -> int:
    """What is left of the payment once its refunds are taken off."""
    return payment_balance(payment).remaining_cents


def enrollment_get_for_user(*, user: User, pk: int) -> Enrollment:
    """The user's own enrollment; anyone else's is a 404, as if it did not exist."""
    enrollment = enrollments_for_learner(learner=user).filter(pk=pk).first()
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def payment_get_for_user(*, user: User, pk: int, succeeded: bool = False) -> Payment:
    """The user's own payment (only a succeeded one when asked, e.g. for a receipt), with
    its seat's offering; anyone else's is a 404."""
    payments = Payment.objects.filter(pk=pk, enrollment__learner=user)
    if succeeded:
        payments = payments.filter(status=Payment.Status.SUCCEEDED)
    payment = payments.select_related(
        "enrollment__offering__course", "enrollment__offering__venue"
    ).first()
    if payment is None:
        raise Http404("No such payment.")
    return payment


def enrollment_locked_for_learner(*, learner: User, pk: int) -> Enrollment:
    """The learner's own enrollment, row-locked until the transaction ends; another
    learner's raises Enrollment.DoesNotExist."""
    return enrollments_for_learner(learner=learner).select_for_update(of=("self",)).get(pk=pk)


def offerings_taught_by(*, user: User) -> list[Offering]:
    """The offerings the user teaches (drafts and cancelled ones left out), soonest first."""
    return list(
        offerings_admin()
        .filter(instructors=user)
        .exclude(status__in=[Offering.Status.DRAFT, Offering.Status.CANCELLED])
    )


@dataclass(frozen=True)
class ClassRow:
    enrollment: Enrollment
    name: str
    hours: Decimal
    result: AssessmentResult | None

    @property
    def completed(self) -> bool:
        """The course is completed (DESIGN 3.4): pages mark the row as done."""
        return self.enrollment.status == Enrollment.Status.COMPLETED


def class_summary(*, offering: Offering) -> list[ClassRow]:
    """The learners holding a seat, with their hours attended so far and current results."""
    enrollments = list(
        Enrollment.objects.filter(offering=offering, status__in=Enrollment.SEAT_STATUSES)
        .select_related("learner__learner_profile")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    hours = hours_attended(enrollments)
    results = latest_results(e.pk for e in enrollments)
    return [
        ClassRow(e, learner_display_name(e.learner), hours[e.pk], results.get(e.pk))
        for e in enrollments
    ]


def days_with_state(*, offering: Offering) -> list[CourseDay]:
    """The offering's days, each with `sign_off` and `recorded` (learners recorded)."""
    return list(
        CourseDay.objects.filter(offering=offering)
        .select_related("sign_off__signed_off_by")
        .annotate(recorded=Count("attendance"))
        .order_by("date")
    )


def planned_course_days(*, learner: User, today: dt.date) -> list[tuple[dt.date, Decimal, str]]:
    """The learner's confirmed course days still to come: (date, scheduled hours, course and
    dates, e.g. "DN-2 on 14–16 March 2027")."""
    enrollments = enrollments_for_learner(learner=learner).filter(
        status=Enrollment.Status.CONFIRMED
    )
    planned = []
    for enrollment in enrollments:
        days = list(enrollment.offering.days.all())
        if not days:
            continue
        first, last = days[0].date, days[-1].date
        span = (
            f"{first:%-d}–{last:%-d %B %Y}"
            if first.month == last.month
            else (f"{first:%-d %B}–{last:%-d %B %Y}")
        )
        label = f"{enrollment.offering.course.code} on {span}"
        planned += [(day.date, day.scheduled_hours, label) for day in days if day.date > today]
    return planned
