"""What the pathway planner (`planner.py`) is given, read from the database: the upcoming
offerings that still take enrollments, and the learner's ledger, licenses, completed courses
and live seats. A fixed number of queries whatever the number of offerings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Enrollment, Offering
from courses.registration import State
from courses.seats import seats_left
from courses.selectors import live_seats_in_course, offerings_upcoming

from .engine import Rule
from .learner_facts import LearnerFacts
from .planner import Learner, Offer, Pathway, plan_pathway
from .rule_cache import rules_on_file
from .windows import Hours

# Offerings that take enrollments now, or will once registration opens.
TAKES_ENROLLMENTS = (State.OPEN, State.NOT_YET_OPEN)


def _class_days(offering: Offering) -> tuple[Hours, ...]:
    """The offering's days with their scheduled hours; the course's in-person hours are
    counted on its first days, so a partly online course never counts more in person."""
    in_person_left = offering.course.in_person_hours
    days = []
    for day in sorted(offering.days.all(), key=lambda d: d.date):
        in_person = min(day.scheduled_hours, max(in_person_left, Decimal(0)))
        in_person_left -= in_person
        days.append(Hours(day.date, day.scheduled_hours, in_person))
    return tuple(days)


def _offer(offering: Offering, *, full: bool) -> Offer:
    course, venue = offering.course, offering.venue
    return Offer(
        id=offering.pk, course=course.code, days=_class_days(offering),
        price_cents=course.price_cents, currency=course.currency,
        place=f"{venue.city}, {venue.region}", full=full,
        enroll_until=offering.registration_closes_at.astimezone(venue.tz).date(),
        prerequisites=tuple(sorted(p.code for p in course.prerequisites.all())),
    )  # fmt: skip


def offers_upcoming(*, professions: Iterable[str], now: dt.datetime, today: dt.date) -> list[Offer]:
    """Upcoming offerings of courses admitting one of `professions` that take enrollments
    (a free seat, or the waitlist when full)."""
    offerings = (
        offerings_upcoming(today=today)
        .filter(course__professions_admitted__code__in=list(professions))
        .distinct()
        .prefetch_related(  # the days come prefetched in date order
            Prefetch("course__prerequisites", queryset=Course.objects.only("code")),
        )
    )
    return [
        _offer(offering, full=seats_left(offering) == 0)
        for offering in offerings
        if offering.days.all() and offering.registration_state(now).state in TAKES_ENROLLMENTS
    ]


def _booked(learner: User, now: dt.datetime, today: dt.date) -> tuple[Offer, ...]:
    """The learner's live seats (confirmed, or held while paying) in classes still to come."""
    codes = Course.objects.filter(offerings__enrollments__learner=learner).distinct()
    seats = [
        seat for course_id in codes.values_list("pk", flat=True)
        for seat in live_seats_in_course(learner=learner, course_id=course_id, now=now)
    ]  # fmt: skip
    booked = []
    for seat in seats:
        offer = _offer(seat.offering, full=False)
        upcoming = tuple(day for day in offer.days if day.date > today)
        if upcoming:
            booked.append(Offer(offer.id, offer.course, upcoming, 0, offer.currency, offer.place))
    return tuple(booked)


def learner_for_planner(
    user: User, facts: LearnerFacts, *, now: dt.datetime, today: dt.date
) -> Learner:
    completed = Enrollment.objects.filter(learner=user, status=Enrollment.Status.COMPLETED)
    return Learner(
        hours=tuple(facts.hours), license_issued=facts.license_issued,
        completed=frozenset(completed.values_list("offering__course__code", flat=True)),
        booked=_booked(user, now, today),
    )  # fmt: skip


def rules_for(jurisdictions: Sequence[str], profession_in: dict[str, str]) -> list[Rule]:
    """The rule on file for each jurisdiction, for the profession asked there, in order."""
    by_profession = {
        code: {rule.jurisdiction: rule for rule in rules_on_file(code)}
        for code in set(profession_in.values())
    }
    return [by_profession[profession_in[code]][code] for code in jurisdictions]


def pathway_for_learner(
    user: User, facts: LearnerFacts, *, jurisdictions: Sequence[str], today: dt.date,
    target: dt.date | None,
) -> Pathway:  # fmt: skip
    """The signed-in learner's plan: their ledger, each state for the profession of their
    license there (else their profile's), and the courses their professions may take."""
    now = timezone.now()
    profession_in = {code: facts.profession_in(code) for code in jurisdictions}
    professions = set(profession_in.values()) - {""}
    return plan_pathway(
        rules_for(jurisdictions, profession_in),
        learner=learner_for_planner(user, facts, now=now, today=today),
        offers=offers_upcoming(professions=professions, now=now, today=today),
        as_of=today, target=target,
    )  # fmt: skip


def pathway_for_visitor(
    *, profession: str, jurisdictions: Sequence[str], hours: Sequence[Hours],
    license_issued: dt.date | None, today: dt.date, target: dt.date | None,
) -> Pathway:  # fmt: skip
    """A visitor's plan (the calculator, the API): the hours they give, one license date
    for every state, nothing booked or completed."""
    learner = Learner(
        hours=tuple(hours), license_issued=dict.fromkeys(jurisdictions, license_issued)
    )
    return plan_pathway(
        rules_for(jurisdictions, dict.fromkeys(jurisdictions, profession)),
        learner=learner,
        offers=offers_upcoming(professions=[profession], now=timezone.now(), today=today),
        as_of=today, target=target,
    )  # fmt: skip
