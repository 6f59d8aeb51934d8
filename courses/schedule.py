"""Rules an offering's schedule must satisfy (issue: catalog validation), as plain data in,
messages out. The admin form and the services both call `offering_plan_errors`, so the
same offering is refused the same way wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from learners.hours import format_hours

NO_DAYS = "An offering needs at least one day."
DAY_END_BEFORE_START = "{date}: the day must end after it starts."
DAY_HOURS_DO_NOT_FIT = "{date}: {hours} scheduled hours do not fit between {start} and {end}."
DAY_DUPLICATED = "{date} is listed more than once."
HOURS_MISMATCH = (
    "The days add up to {total} hours but {course} has {contact} contact hours. "
    "Correct the days, or explain the difference under “Hours reason”."
)
CAPACITY_TOO_SMALL = "Capacity must be at least 1."
CAPACITY_BELOW_CONFIRMED = "Capacity cannot go below the {seats} seats already confirmed."
REGISTRATION_NOT_ORDERED = "Registration must open before it closes."
REGISTRATION_AFTER_START = "Registration must close before the first day starts ({start})."
OPEN_OFFERING_LOSES_DAYS = (
    "This offering is open, so its days cannot be removed or moved ({dates}). "
    "Close or cancel it first."
)
NOT_INSTRUCTORS = "Only instructors can teach an offering: {names} do not have the instructor role."


@dataclass(frozen=True)
class DayPlan:
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    scheduled_hours: Decimal


@dataclass(frozen=True)
class OfferingPlan:
    """An offering as it would be saved, plus what is already on file about it."""

    course_code: str
    contact_hours: Decimal
    days: Sequence[DayPlan]
    capacity: int
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    timezone: dt.tzinfo
    hours_reason: str = ""
    non_instructors: Sequence[str] = ()
    was_open: bool = False
    saved_dates: frozenset[dt.date] = field(default_factory=frozenset)
    confirmed_seats: int = 0


def offering_plan_errors(plan: OfferingPlan) -> dict[str, list[str]]:
    """Return messages keyed by field ("days", "capacity", ...); empty when all is well."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    for message in _day_errors(plan.days):
        add("days", message)
    if plan.days and not plan.hours_reason.strip():
        total = sum((day.scheduled_hours for day in plan.days), Decimal(0))
        if total != plan.contact_hours:
            add("hours_reason", HOURS_MISMATCH.format(
                total=format_hours(total), course=plan.course_code,
                contact=format_hours(plan.contact_hours),
            ))  # fmt: skip
    if plan.capacity < 1:
        add("capacity", CAPACITY_TOO_SMALL)
    elif plan.capacity < plan.confirmed_seats:
        add("capacity", CAPACITY_BELOW_CONFIRMED.format(seats=plan.confirmed_seats))
    for key, message in _registration_errors(plan):
        add(key, message)
    if plan.was_open and (lost := plan.saved_dates - {day.date for day in plan.days}):
        add("days", OPEN_OFFERING_LOSES_DAYS.format(dates=", ".join(map(_date, sorted(lost)))))
    if plan.non_instructors:
        add("instructors", NOT_INSTRUCTORS.format(names=", ".join(plan.non_instructors)))
    return errors


def _day_errors(days: Sequence[DayPlan]) -> list[str]:
    if not days:
        return [NO_DAYS]
    messages = []
    for day in days:
        span = dt.datetime.combine(day.date, day.end_time) - dt.datetime.combine(
            day.date, day.start_time
        )
        if span <= dt.timedelta(0):
            messages.append(DAY_END_BEFORE_START.format(date=_date(day.date)))
        elif Decimal(span.total_seconds()) / 3600 < day.scheduled_hours:
            messages.append(DAY_HOURS_DO_NOT_FIT.format(
                date=_date(day.date), hours=format_hours(day.scheduled_hours),
                start=f"{day.start_time:%H:%M}", end=f"{day.end_time:%H:%M}",
            ))  # fmt: skip
    counts = Counter(day.date for day in days)
    messages += [DAY_DUPLICATED.format(date=_date(d)) for d, n in sorted(counts.items()) if n > 1]
    return messages


def _registration_errors(plan: OfferingPlan) -> list[tuple[str, str]]:
    if plan.registration_opens_at >= plan.registration_closes_at:
        return [("registration_closes_at", REGISTRATION_NOT_ORDERED)]
    if not plan.days:
        return []
    first = min(plan.days, key=lambda day: (day.date, day.start_time))
    starts_at = dt.datetime.combine(first.date, first.start_time, tzinfo=plan.timezone)
    if plan.registration_closes_at >= starts_at:
        start = f"{_date(first.date)} {first.start_time:%H:%M}"
        return [("registration_closes_at", REGISTRATION_AFTER_START.format(start=start))]
    return []


def _date(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"
