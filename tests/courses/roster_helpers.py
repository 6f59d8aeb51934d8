"""A taught class for the roster's tests (the day page and its sync API), through the real
models: seats with the learner's legal name, and the hours the ledger counts for a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from courses.models import CourseDay, Enrollment
from learners.models import HoursEntry, LearnerProfile

FIRST_DAY = dt.date(2026, 11, 20)  # the class's first day, three days before `frozen_today`


def roster_seat(offering, user, status: str = "confirmed") -> Enrollment:
    LearnerProfile.objects.get_or_create(user=user, defaults={"legal_name": user.get_full_name()})
    return Enrollment.objects.create(learner=user, offering=offering, status=status)


def hours_counted(learner, day: CourseDay) -> Decimal:
    """The learner's hours on the ledger for the course day, corrections included."""
    entries = HoursEntry.objects.filter(learner=learner, course_day=day)
    return sum((e.hours for e in entries), Decimal(0))
