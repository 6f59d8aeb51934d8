"""The learner's self-check (issue: "may I dry needle in Virginia yet?"): verdicts for every
jurisdiction, their licensed ones first, and when a not-yet would turn eligible through the
courses they are booked on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from learners.jurisdictions import states_and_dc

from .engine import Rule, Status, Verdict, evaluate, evaluate_all
from .learner_facts import LearnerFacts
from .rule_cache import rules_on_file
from .windows import Hours


@dataclass(frozen=True)
class PlannedDay:
    """A course day the learner holds a confirmed seat for and has not attended yet."""

    date: dt.date
    hours: Decimal
    course: str  # e.g. "DN-2 on 14-16 March 2027"


@dataclass(frozen=True)
class Projection:
    date: dt.date
    courses: tuple[str, ...]


def self_check(
    facts: LearnerFacts, *, as_of: dt.date, licensed_only: bool = False
) -> list[Verdict]:
    """Verdicts for every jurisdiction, licensed ones first; `licensed_only`: just those.
    Each licensed jurisdiction is answered for that license's profession, the others for the
    profile's (rules kept per profession by the rule cache)."""
    codes = {facts.profession_in(code) for code in facts.licenses}
    if not licensed_only:
        codes.add(facts.profession or "")
    by_profession = {
        code: {rule.jurisdiction: rule for rule in rules_on_file(code)} for code in codes
    }
    rules = [
        by_profession[facts.profession_in(code)][code]
        for code in states_and_dc()
        if not licensed_only or code in facts.licenses
    ]
    verdicts = evaluate_all(
        rules, hours=facts.hours, license_issued=facts.license_issued, as_of=as_of
    )
    return sorted(verdicts, key=lambda v: (v.rule.jurisdiction not in facts.licenses, v.rule.name))


def projection(
    rule: Rule, facts: LearnerFacts, planned: Sequence[PlannedDay], *, as_of: dt.date
) -> Projection | None:
    """The first date on which the learner would be eligible, counting the planned course
    days as attended in full (and license anniversaries as they come), or None."""
    issued = facts.license_issued.get(rule.jurisdiction)
    candidates = {day.date for day in planned if day.date > as_of}
    for requirement in rule.requirements:
        if issued and requirement.prior_practice_years:
            anniversary = issued + relativedelta(years=requirement.prior_practice_years)
            if anniversary > as_of:
                candidates.add(anniversary)
    for date in sorted(candidates):
        counted = [day for day in planned if day.date <= date]
        hours = [*facts.hours, *(Hours(d.date, d.hours, d.hours) for d in counted)]
        if evaluate(rule, hours=hours, license_issued=issued, as_of=date).status is Status.ELIGIBLE:
            return Projection(
                date, tuple(dict.fromkeys(d.course for d in counted if d.date > as_of))
            )
    return None
