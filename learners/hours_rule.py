"""When hours are plausible (DESIGN.md 2, 3.1): none dated in the future, and no day holding
more than 24 hours of training. The one rule every source of hours is checked against (the
ledger service, the outside-training form, both imports, the roster); a pure function of
plain data, the ledger loads what is already on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .hours import format_hours

MAX_HOURS_A_DAY = 24
FUTURE_DATE = "Hours cannot be dated in the future ({date})."
TOO_MANY_IN_A_DAY = (
    "{date} would hold {hours} hours of training; a day holds at most 24 "
    "(training over several days is spread evenly across them)."
)


@dataclass(frozen=True)
class Claim:
    """Hours earned over the days `first` to `last` (one day for a course day); negative for a
    correction that takes hours back."""

    first: dt.date
    last: dt.date
    hours: Decimal

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def _day(date: dt.date) -> str:
    return f"{date:%-d %B %Y}"


def in_the_future(date: dt.date, *, today: dt.date) -> bool:
    """A record of something done (hours, a license issued) cannot be dated after today."""
    return date > today


def future_date_problem(date: dt.date, *, today: dt.date) -> str | None:
    """Hours are dated on or before today."""
    return FUTURE_DATE.format(date=_day(date)) if in_the_future(date, today=today) else None


def _busiest_candidates(new: Sequence[Claim], everything: Iterable[Claim]) -> list[dt.date]:
    """The days a new claim covers on which the load can change upwards: the load is constant
    between the first days of claims, so its highest point is on one of them."""
    firsts = {c.first for c in everything} | {c.first for c in new}
    return sorted(day for day in firsts if any(c.covers(day) for c in new))


def hours_problems(
    new: Sequence[Claim], *, on_record: Sequence[Claim], today: dt.date
) -> list[str]:
    """What makes `new` implausible beside the hours `on_record` (corrections included, as
    negative claims): a future date, or a day holding more than 24 hours once claims over
    several days are spread evenly across them. Empty when the hours are plausible."""
    problems = [p for c in new if (p := future_date_problem(c.last, today=today))]
    everything = [*on_record, *new]
    for day in _busiest_candidates(new, everything):
        load = sum((Fraction(c.hours) / c.days for c in everything if c.covers(day)), Fraction(0))
        if load > MAX_HOURS_A_DAY:
            exact = Decimal(load.numerator) / Decimal(load.denominator)
            hours = format_hours(exact.quantize(Decimal("0.01")))
            problems.append(TOO_MANY_IN_A_DAY.format(date=_day(day), hours=hours))
            break
    return problems
