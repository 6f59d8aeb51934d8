"""The eligibility engine (DESIGN.md 3.1, 3.2): a pure function of (rule, hours, license,
as-of). No ORM, no clock, no request: the rules, the learner's hours and the date come in as
data, a verdict goes out. Hours are sorted once per learner (`prepare_hours`) and every
requirement of every jurisdiction slides its window over the same sorted days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .windows import ZERO, Days, Hours, Window, best_window


class RuleStatus(StrEnum):
    PERMITTED = "permitted"
    PROHIBITED = "prohibited"
    NO_RULE = "no_rule"


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NOT_YET = "not_yet"
    PROHIBITED = "prohibited"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Requirement:
    label: str
    min_total_hours: Decimal | None = None
    min_in_person_hours: Decimal = ZERO
    window_months: int | None = None
    prior_practice_years: int | None = None

    @property
    def sets_hours(self) -> bool:
        return self.min_total_hours is not None or self.min_in_person_hours > 0


@dataclass(frozen=True)
class Citation:
    url: str
    title: str = ""
    date: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Rule:
    jurisdiction: str
    name: str
    profession: str
    status: RuleStatus
    requirements: tuple[Requirement, ...] = ()
    conditions: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    effective_date: dt.date | None = None
    last_reviewed: dt.date | None = None


@dataclass(frozen=True)
class Row:
    """One measurable line of a requirement (DESIGN.md 3.2)."""

    requirement: str
    code: str
    required: Decimal
    counted: Decimal
    window: Window | None = None

    @property
    def missing(self) -> Decimal:
        return max(ZERO, self.required - self.counted)

    @property
    def met(self) -> bool:
        return self.counted >= self.required


@dataclass(frozen=True)
class Verdict:
    rule: Rule
    as_of: dt.date
    status: Status
    requirements: tuple[Row, ...] = field(default=())

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.rule.conditions

    @property
    def eligible_if(self) -> bool:
        """Eligible on what the tracker measures, with conditions it cannot: every surface
        says "Eligible if ..." beside them, never a plain "eligible" (DESIGN.md 3.2)."""
        return self.status is Status.ELIGIBLE and bool(self.conditions)

    @property
    def display_status(self) -> str:
        """The status as pages show it: `eligible_if` apart from a plain `eligible`."""
        return "eligible_if" if self.eligible_if else str(self.status)

    def counts(self, row: Row, date: dt.date) -> bool:
        """Whether hours dated `date` are among those `row` counted (DESIGN.md 3.1): dated
        on or before the as-of date and, for a requirement with a window, inside the window
        the row reports. Their sum is `row.counted`: how documents list the entries behind
        a row without measuring windows a second time."""
        if date > self.as_of:
            return False
        window = row.window
        return window is None or window.start is None or window.start <= date < window.end


def prepare_hours(hours: Iterable[Hours], *, as_of: dt.date) -> Days:
    """The entries that count as of the date (none after it), by date, oldest first."""
    return Days(h for h in hours if h.date <= as_of)


def full_years(issued: dt.date, as_of: dt.date) -> int:
    """Calendar years from issue to the as-of date; the anniversary itself counts."""
    return max(0, relativedelta(as_of, issued).years) if issued <= as_of else 0


def _rows(
    requirement: Requirement, days: Days, license_issued: dt.date | None,
    as_of: dt.date,
) -> list[Row]:  # fmt: skip
    rows = []
    if requirement.sets_hours:
        required_total = (
            requirement.min_total_hours
            if requirement.min_total_hours is not None
            else requirement.min_in_person_hours
        )
        window = best_window(
            days, months=requirement.window_months, min_total=required_total,
            min_in_person=requirement.min_in_person_hours,
        )  # fmt: skip
        has_window = requirement.window_months is not None and window.start is not None
        reported = window if has_window else None
        rows.append(Row(requirement.label, "total_hours", required_total, window.total, reported))
        if requirement.min_in_person_hours > 0:
            rows.append(
                Row(requirement.label, "in_person_hours", requirement.min_in_person_hours,
                    window.in_person, reported)
            )  # fmt: skip
    if requirement.prior_practice_years is not None:
        years = full_years(license_issued, as_of) if license_issued else 0
        rows.append(
            Row(requirement.label, "prior_practice_years",
                Decimal(requirement.prior_practice_years), Decimal(years))
        )  # fmt: skip
    return rows


def evaluate(
    rule: Rule, *, hours: Days | Iterable[Hours], license_issued: dt.date | None,
    as_of: dt.date,
) -> Verdict:  # fmt: skip
    """The verdict for one jurisdiction and profession as of a date. Pass `prepare_hours`'
    result (for the same as-of date) when evaluating many rules for the same hours."""
    if rule.status is RuleStatus.PROHIBITED:
        return Verdict(rule, as_of, Status.PROHIBITED)
    if rule.status is RuleStatus.NO_RULE:
        return Verdict(rule, as_of, Status.UNKNOWN)
    days = hours if isinstance(hours, Days) else prepare_hours(hours, as_of=as_of)
    rows = tuple(
        row for requirement in rule.requirements
        for row in _rows(requirement, days, license_issued, as_of)
    )  # fmt: skip
    met = all(row.met for row in rows)
    return Verdict(rule, as_of, Status.ELIGIBLE if met else Status.NOT_YET, rows)


def evaluate_all(
    rules: Iterable[Rule], *, hours: Iterable[Hours], license_issued: dict[str, dt.date | None],
    as_of: dt.date,
) -> list[Verdict]:  # fmt: skip
    """Every rule for the same hours; `license_issued` maps a jurisdiction to the issue date
    of the learner's license there (missing: none)."""
    days = prepare_hours(hours, as_of=as_of)
    return [
        evaluate(rule, hours=days, license_issued=license_issued.get(rule.jurisdiction),
                 as_of=as_of)
        for rule in rules
    ]  # fmt: skip
