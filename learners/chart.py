"""The dashboard's chart of hours by month, as plain numbers the SVG template draws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

CHART_HEIGHT = 120  # px of the tallest bar
BASELINE = 140  # y of the axis, leaving room above the tallest bar for its label


@dataclass(frozen=True)
class MonthBar:
    month: dt.date
    in_person: Decimal
    online: Decimal
    x: int
    in_person_height: int
    online_height: int

    @property
    def total(self) -> Decimal:
        return self.in_person + self.online

    @property
    def in_person_y(self) -> int:
        return BASELINE - self.in_person_height

    @property
    def online_y(self) -> int:
        return self.in_person_y - self.online_height

    @property
    def label_x(self) -> int:
        return self.x + 20


def monthly_bars(
    by_month: dict[tuple[dt.date, str], Decimal], *, today: dt.date, months: int = 12,
    bar_width: int = 40,
) -> list[MonthBar]:  # fmt: skip
    """One bar per month for the `months` ending with today's, split in person / online;
    heights scale to the busiest month (negative months, from corrections, draw as 0)."""
    first = today.replace(day=1) - relativedelta(months=months - 1)
    span = [first + relativedelta(months=n) for n in range(months)]
    rows = [
        (m, by_month.get((m, "in_person"), Decimal(0)), by_month.get((m, "online"), Decimal(0)))
        for m in span
    ]
    peak = max((max(p, 0) + max(o, 0) for _m, p, o in rows), default=0) or 1
    return [
        MonthBar(
            month=m,
            in_person=p,
            online=o,
            x=n * bar_width,
            in_person_height=round(max(p, 0) / peak * CHART_HEIGHT),
            online_height=round(max(o, 0) / peak * CHART_HEIGHT),
        )  # fmt: skip
        for n, (m, p, o) in enumerate(rows)
    ]
