"""Rolling time windows over hours (DESIGN.md 3.1, 3.2): pure functions of data, no ORM, no
clock. A span is [start, start + W calendar months), end exclusive, starting on the date of
an entry; the entries are sorted once and the span's end slides forward with its start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

ZERO = Decimal(0)


@dataclass(frozen=True)
class Hours:
    """Hours on a date; `in_person` is the in-person part of `total` (corrections negative)."""

    date: dt.date
    total: Decimal
    in_person: Decimal


@dataclass(frozen=True)
class Window:
    """The span hours were counted in and what it holds; `start`/`end` are None without a
    window (all hours counted)."""

    start: dt.date | None
    end: dt.date | None
    total: Decimal
    in_person: Decimal

    @property
    def last_day(self) -> dt.date | None:
        """The window's last day, for people: `end` itself is not in it."""
        return self.end - dt.timedelta(days=1) if self.end else None

    def missing(self, min_total: Decimal, min_in_person: Decimal) -> Decimal:
        return max(ZERO, min_total - self.total) + max(ZERO, min_in_person - self.in_person)

    def meets(self, min_total: Decimal, min_in_person: Decimal) -> bool:
        return self.total >= min_total and self.in_person >= min_in_person


def hours_by_date(hours: Iterable[Hours]) -> tuple[Hours, ...]:
    """One row per date, dates ascending (several entries on a day are one point in time)."""
    days: dict[dt.date, list[Decimal]] = {}
    for entry in hours:
        day = days.setdefault(entry.date, [ZERO, ZERO])
        day[0] += entry.total
        day[1] += entry.in_person
    return tuple(Hours(date, total, in_person) for date, (total, in_person) in sorted(days.items()))


def best_window(
    hours: Iterable[Hours], *, months: int | None, min_total: Decimal, min_in_person: Decimal,
    prepared: bool = False,
) -> Window:  # fmt: skip
    """The window a requirement is measured in: the earliest that meets both minimums, or,
    when none does, the one with the fewest hours missing (total + in person), earliest on a
    tie. Without `months`, every entry counts together. `prepared`: `hours` is already
    `hours_by_date`'s result."""
    days = hours if prepared else hours_by_date(hours)
    if months is None:
        return Window(
            None, None, sum((d.total for d in days), ZERO), sum((d.in_person for d in days), ZERO)
        )
    if not days:
        return Window(None, None, ZERO, ZERO)
    best: Window | None = None
    end_index, total, in_person = 0, ZERO, ZERO
    for first in days:
        end = first.date + relativedelta(months=months)
        # The end never moves back as the start moves forward, so each day enters once.
        while end_index < len(days) and days[end_index].date < end:
            total += days[end_index].total
            in_person += days[end_index].in_person
            end_index += 1
        window = Window(first.date, end, total, in_person)
        if window.meets(min_total, min_in_person):
            return window
        if best is None or window.missing(min_total, min_in_person) < best.missing(
            min_total, min_in_person
        ):
            best = window
        total -= first.total
        in_person -= first.in_person
    return best
