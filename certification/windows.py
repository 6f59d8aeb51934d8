"""Rolling time windows over hours (DESIGN.md 3.1, 3.2): pure functions of data, no ORM, no
clock. A span is [start, start + W calendar months), end exclusive, starting on the date of
an entry. Hours are grouped by date and sorted once (`Days`), kept as whole quarter hours,
and each span's end slides forward with its start, so no entry is summed twice per pass."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from learners.hours import is_quarter_hours

ZERO = Decimal(0)
QUARTER = Decimal("0.25")
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Hours:
    """Hours on a date; `in_person` is the in-person part of `total` (corrections negative)."""

    date: dt.date
    total: Decimal
    in_person: Decimal


@dataclass(frozen=True)
class Window:
    """The span hours were counted in and what it holds; `start`/`end` are None when there is
    no span (no window, or no entries)."""

    start: dt.date | None
    end: dt.date | None
    total: Decimal
    in_person: Decimal

    @property
    def last_day(self) -> dt.date | None:
        """The window's last day, for people: `end` itself is not in it."""
        return self.end - dt.timedelta(days=1) if self.end else None


def add_months(date: dt.date, months: int) -> dt.date:
    """`date + relativedelta(months=months)`: the same day of the month, or the month's last
    day when it is shorter (31 January + 1 month = 28 or 29 February). A date past the
    calendar's end is its last day, 9999-12-31: far beyond any date the API or the ledger
    takes, and no ValueError from a huge window or an as-of date near it."""
    years, month_index = divmod(date.month - 1 + months, 12)
    year = date.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if date.day <= 28:  # every month has it: the common case, kept cheap
        return dt.date(year, month_index + 1, date.day)
    last = 29 if month_index == 1 and calendar.isleap(year) else MONTH_DAYS[month_index]
    return dt.date(year, month_index + 1, min(date.day, last))


# Cached: a ledger's day sums take few distinct values, and re-evaluating every learner
# converts about ten of them per learner (the check costs microseconds each).
@functools.lru_cache(maxsize=4096)
def _quarters(hours: Decimal) -> int:
    if not is_quarter_hours(abs(hours)):  # corrections may make a day's sum negative
        raise ValueError(f"{hours} is not a multiple of 0.25 hours.")
    return int(hours * 4)


class Days:
    """Hours grouped by date (several entries on a day are one point in time), oldest first,
    in whole quarter hours; the ends of each window length are computed once."""

    __slots__ = ("_ends", "dates", "in_person", "totals")

    def __init__(self, hours: Iterable[Hours]) -> None:
        by_date: dict[dt.date, list[int]] = {}
        for entry in hours:
            day = by_date.setdefault(entry.date, [0, 0])
            day[0] += _quarters(entry.total)
            day[1] += _quarters(entry.in_person)
        ordered = sorted(by_date.items())
        self.dates = [date for date, _ in ordered]
        self.totals = [sums[0] for _, sums in ordered]
        self.in_person = [sums[1] for _, sums in ordered]
        self._ends: dict[int, list[dt.date]] = {}

    @classmethod
    def from_daily(
        cls, dates: Sequence[dt.date], totals: Iterable[Decimal], in_person: Iterable[Decimal]
    ) -> Days:
        """Days from sums already made per date, strictly oldest first (as the database
        groups the ledger): the same as `Days` of those hours, without grouping them again."""
        if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
            raise ValueError("Daily sums must come one per date, oldest first.")
        days = cls.__new__(cls)
        days.dates = list(dates)
        days.totals = [_quarters(total) for total in totals]
        days.in_person = [_quarters(hours) for hours in in_person]
        days._ends = {}
        return days

    def __len__(self) -> int:
        return len(self.dates)

    def ends(self, months: int) -> list[dt.date]:
        if months not in self._ends:
            self._ends[months] = [add_months(date, months) for date in self.dates]
        return self._ends[months]


def _window(start: dt.date | None, end: dt.date | None, total: int, in_person: int) -> Window:
    return Window(start, end, total * QUARTER, in_person * QUARTER)


def best_window(
    hours: Days | Iterable[Hours], *, months: int | None, min_total: Decimal,
    min_in_person: Decimal,
) -> Window:  # fmt: skip
    """The window a requirement is measured in: the earliest that meets both minimums, or,
    when none does, the one with the fewest hours missing (total + in person), earliest on a
    tie. Without `months`, every entry counts together."""
    days = hours if isinstance(hours, Days) else Days(hours)
    if months is None:
        return _window(None, None, sum(days.totals), sum(days.in_person))
    if not days:
        return _window(None, None, 0, 0)
    need_total, need_in_person = _quarters(min_total), _quarters(min_in_person)
    ends, dates, totals, in_person = days.ends(months), days.dates, days.totals, days.in_person
    best_index, best_missing, best_sums = 0, None, (0, 0)
    end_index, total, person = 0, 0, 0
    for index, end in enumerate(ends):
        # The end never moves back as the start moves forward, so each day enters once.
        while end_index < len(dates) and dates[end_index] < end:
            total += totals[end_index]
            person += in_person[end_index]
            end_index += 1
        if total >= need_total and person >= need_in_person:
            return _window(dates[index], end, total, person)
        missing = max(0, need_total - total) + max(0, need_in_person - person)
        if best_missing is None or missing < best_missing:
            best_index, best_missing, best_sums = index, missing, (total, person)
        total -= totals[index]
        person -= in_person[index]
    return _window(dates[best_index], ends[best_index], *best_sums)
