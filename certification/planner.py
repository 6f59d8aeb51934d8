"""The pathway planner (issue 18, "My plan"): which upcoming offerings to book, and by when, so
that every chosen state's rule says `eligible` (DESIGN.md 3.1-3.3). A pure function of (rules,
learner, offers, as-of): no ORM, no clock. Eligibility is the engine's alone (`evaluate`): the
planned course days are added to the learner's ledger as if attended in full.

Eligibility never goes back as time passes (hours only add up, a window that was met stays
met, licenses age), so a plan is ready on the first date every state is eligible, found by
bisection over the dates anything changes; and a plan is never worth a course that starts
after that date. The search looks at each set of courses (one offering each, prerequisites
first) and its offering combinations in order of their last start, stopping as soon as no
later combination can be ready sooner."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .engine import Rule, Status, Verdict, evaluate, prepare_hours
from .windows import ZERO, Hours

MAX_COURSES = 4  # courses in one plan: DN-1, DN-2 and what may come after them
MAX_COMBINATIONS = 2500  # offering combinations looked at per set of courses
TARGET_IN_THE_PAST = "Give a date from today on: a plan cannot be ready in the past."


@dataclass(frozen=True)
class Offer:
    """An upcoming offering that takes enrollments: a seat, or its waitlist when `full`."""

    id: int
    course: str
    days: tuple[Hours, ...]  # each class day's scheduled hours, as the ledger would count them
    price_cents: int
    currency: str = "usd"
    place: str = ""
    full: bool = False
    enroll_until: dt.date | None = None  # registration closes on this date (None: at the start)
    prerequisites: tuple[str, ...] = ()  # courses to have completed before enrolling

    @property
    def first_day(self) -> dt.date:
        return self.days[0].date

    @property
    def last_day(self) -> dt.date:
        return self.days[-1].date

    @property
    def hours(self) -> Decimal:
        return sum((day.total for day in self.days), ZERO)

    @property
    def in_person_hours(self) -> Decimal:
        return sum((day.in_person for day in self.days), ZERO)


@dataclass(frozen=True)
class Learner:
    """What the planner knows of the learner: the ledger, license issue dates by jurisdiction,
    courses completed, and the seats already held (their days count as planned)."""

    hours: tuple[Hours, ...] = ()
    license_issued: Mapping[str, dt.date | None] = field(default_factory=dict)
    completed: frozenset[str] = frozenset()
    booked: tuple[Offer, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Offerings to book (none: the seats held already suffice), and each state's verdict on
    the day it becomes eligible (its rows give the windows counted)."""

    offers: tuple[Offer, ...]
    verdicts: tuple[Verdict, ...]
    again: frozenset[str] = frozenset()  # courses completed before, taken again for hours

    @property
    def retakes(self) -> int:
        return len(self.again)

    @property
    def cost_cents(self) -> int:
        return sum(offer.price_cents for offer in self.offers)

    @property
    def currency(self) -> str:
        return self.offers[0].currency if self.offers else "usd"

    @property
    def ready_on(self) -> dt.date:
        return max(verdict.as_of for verdict in self.verdicts)

    @property
    def waitlisted(self) -> tuple[Offer, ...]:
        return tuple(offer for offer in self.offers if offer.full)


@dataclass(frozen=True)
class Shortfall:
    """A state no upcoming offering gets the learner to: the verdict with every course
    booked once, as late as anything could change, and why."""

    verdict: Verdict
    reason: str


NO_LICENSE_DATE = "no_license_date"  # years of practice are counted from a license's issue
TOO_FEW_HOURS = "too_few_hours"  # more hours than every course on offer gives
NO_COMBINATION = "no_combination"  # the hours exist, but no dates fit the windows together


@dataclass(frozen=True)
class Pathway:
    as_of: dt.date
    target: dt.date | None
    now: tuple[Verdict, ...]  # each chosen state today, from the ledger alone
    cheapest: Plan | None = None
    earliest: Plan | None = None
    shortfalls: tuple[Shortfall, ...] = ()
    truncated: bool = False  # some combinations were not looked at (MAX_COMBINATIONS)
    booked: tuple[Offer, ...] = ()  # the learner's seats already held, counted in every plan

    @property
    def plans(self) -> list[Plan]:
        """The cheapest plan, then the earliest when it is another one."""
        plans = [p for p in (self.cheapest, self.earliest) if p is not None]
        return plans[:1] if len(plans) == 2 and plans[0] == plans[1] else plans

    @property
    def eligible_now(self) -> list[Verdict]:
        return [v for v in self.now if v.status is Status.ELIGIBLE]

    @property
    def not_plannable(self) -> list[Verdict]:
        """Prohibited states and states with no requirement on file: no course changes them."""
        return [v for v in self.now if v.status in (Status.PROHIBITED, Status.UNKNOWN)]

    def meets_target(self, plan: Plan) -> bool:
        return self.target is None or plan.ready_on <= self.target

    def timeline(self, plan: Plan) -> list[Step]:
        """The plan in date order: each course's first day (seats held, then to book), and
        the day each state becomes eligible, after the courses of that day."""
        steps = [Step(o.first_day, offer=o, held=True) for o in self.booked]
        steps += [Step(o.first_day, offer=o) for o in plan.offers]
        steps += [Step(v.as_of, verdict=v) for v in plan.verdicts]
        return sorted(steps, key=lambda step: (step.date, step.verdict is not None))


@dataclass(frozen=True)
class Step:
    date: dt.date
    offer: Offer | None = None
    verdict: Verdict | None = None
    held: bool = False


def plan_pathway(
    rules: Sequence[Rule], *, learner: Learner, offers: Iterable[Offer], as_of: dt.date,
    target: dt.date | None = None,
) -> Pathway:  # fmt: skip
    """The cheapest and the earliest plans that make every chosen state `eligible`; states no
    plan can reach are `shortfalls`, with what is missing."""
    now = tuple(
        evaluate(rule, hours=learner.hours, license_issued=_issued(learner, rule), as_of=as_of)
        for rule in rules
    )
    to_plan = [v.rule for v in now if v.status is Status.NOT_YET]
    if not to_plan:
        return Pathway(as_of, target, now, booked=learner.booked)
    search = _Search(learner, _candidates(offers, learner, as_of), as_of)
    shortfalls = [s for rule in to_plan if (s := search.shortfall(rule)) is not None]
    short = {s.verdict.rule.jurisdiction for s in shortfalls}
    reachable = [rule for rule in to_plan if rule.jurisdiction not in short]
    found = search.best_by_course_set(reachable) if reachable else []
    if reachable and not found:
        shortfalls += [search.shortfall(rule, reason=NO_COMBINATION) for rule in reachable]
    on_time = [p for p in found if target is None or p.ready_on <= target] or found
    return Pathway(
        as_of, target, now,
        cheapest=min(on_time, key=lambda p: (p.cost_cents, p.retakes, p.ready_on), default=None),
        earliest=min(found, key=lambda p: (p.ready_on, p.retakes, p.cost_cents), default=None),
        shortfalls=tuple(shortfalls), truncated=search.truncated, booked=learner.booked,
    )  # fmt: skip


def _issued(learner: Learner, rule: Rule) -> dt.date | None:
    return learner.license_issued.get(rule.jurisdiction)


def _candidates(offers: Iterable[Offer], learner: Learner, as_of: dt.date) -> dict[str, list]:
    """Bookable offers by course, soonest first. A course the learner holds a seat in is
    not booked twice; offers on the same days are one choice (a free seat before a
    waitlist, then the lowest id), as the rules cannot tell them apart."""
    booked = {offer.course for offer in learner.booked}
    same_days: dict[tuple, Offer] = {}
    for offer in sorted(offers, key=lambda o: (o.full, o.id)):
        if offer.days and offer.first_day > as_of and offer.course not in booked:
            same_days.setdefault((offer.course, offer.days), offer)
    by_course: dict[str, list[Offer]] = {}
    for offer in sorted(same_days.values(), key=lambda o: (o.first_day, o.full, o.id)):
        by_course.setdefault(offer.course, []).append(offer)
    return by_course


class _Search:
    def __init__(self, learner: Learner, by_course: dict[str, list[Offer]], as_of: dt.date):
        self.learner, self.by_course, self.as_of = learner, by_course, as_of
        self.base = [*learner.hours, *(h for o in learner.booked for h in o.days
                                       if h.date > as_of)]  # fmt: skip
        self.base_total = sum((h.total for h in self.base), ZERO)
        self.base_in_person = sum((h.in_person for h in self.base), ZERO)
        self.truncated = False

    # -- what can never be reached ------------------------------------------------------

    def shortfall(self, rule: Rule, reason: str | None = None) -> Shortfall | None:
        """Why the rule cannot be met whatever is booked (None when it may be)."""
        if reason is None:
            if self._needs_license_date(rule):
                reason = NO_LICENSE_DATE
            elif not self._hours_suffice(rule, list(self.by_course)):
                reason = TOO_FEW_HOURS
            else:
                return None
        everything = [offers[0] for offers in self.by_course.values()]
        hours = [*self.base, *(h for o in everything for h in o.days)]
        dates = self._change_dates([rule], hours)
        verdict = evaluate(rule, hours=hours, license_issued=_issued(self.learner, rule),
                           as_of=dates[-1])  # fmt: skip
        return Shortfall(verdict, reason)

    def _needs_license_date(self, rule: Rule) -> bool:
        years = any(r.prior_practice_years for r in rule.requirements)
        return years and _issued(self.learner, rule) is None

    def _hours_suffice(self, rule: Rule, courses: Sequence[str]) -> bool:
        """At most every hour on record plus the courses' own: a bound no plan can pass."""
        total, in_person = self.base_total, self.base_in_person
        for course in courses:
            total += max(o.hours for o in self.by_course[course])
            in_person += max(o.in_person_hours for o in self.by_course[course])
        return all(
            (r.min_total_hours is None or total >= r.min_total_hours)
            and in_person >= r.min_in_person_hours
            for r in rule.requirements
        )

    # -- the search ---------------------------------------------------------------------

    def best_by_course_set(self, rules: list[Rule]) -> list[Plan]:
        """For each set of courses that can do it, its plan ready soonest."""
        courses = sorted(self.by_course)
        plans = []
        for size in range(min(MAX_COURSES, len(courses)) + 1):
            for chosen in itertools.combinations(courses, size):
                if not all(self._hours_suffice(rule, chosen) for rule in rules):
                    continue
                if (plan := self._soonest(rules, chosen)) is not None:
                    plans.append(plan)
        return plans

    def _soonest(self, rules: list[Rule], courses: Sequence[str]) -> Plan | None:
        combos = [
            combo for combo in itertools.product(*(self.by_course[c] for c in courses))
            if self._in_order(combo)
        ]  # fmt: skip
        combos.sort(key=lambda combo: max((o.first_day for o in combo), default=self.as_of))
        floor = self._floor(rules)
        best: tuple[dt.date, tuple[Offer, ...]] | None = None
        for looked, combo in enumerate(combos):
            last_start = max((o.first_day for o in combo), default=self.as_of)
            if best is not None and best[0] <= max(last_start, floor):
                break  # no combination left can be ready sooner than the best
            if looked == MAX_COMBINATIONS:
                self.truncated = True
                break
            ready = self._ready_on(rules, combo)
            if ready is not None and (best is None or ready < best[0]):
                best = (ready, combo)
        return self._plan(rules, best[1]) if best else None

    def _in_order(self, combo: Sequence[Offer]) -> bool:
        """Each offer's prerequisites are completed, or planned to finish before it starts
        and while its registration is still open (the gate wants them completed)."""
        planned = [*combo, *self.learner.booked]
        for offer in combo:
            for prerequisite in offer.prerequisites:
                if prerequisite in self.learner.completed:
                    continue
                before = [p for p in planned if p.course == prerequisite]
                if not any(p.last_day < offer.first_day and
                           (offer.enroll_until is None or p.last_day < offer.enroll_until)
                           for p in before):  # fmt: skip
                    return False
        return True

    def _anniversaries(self, rules: Sequence[Rule]) -> set[dt.date]:
        """The dates the license completes each rule's years of practice."""
        dates = set()
        for rule in rules:
            issued = _issued(self.learner, rule)
            for requirement in rule.requirements:
                if issued and requirement.prior_practice_years:
                    dates.add(issued + relativedelta(years=requirement.prior_practice_years))
        return dates

    def _floor(self, rules: Sequence[Rule]) -> dt.date:
        """No rule is met before its years of practice are: no plan is ready sooner."""
        return max(self._anniversaries(rules) | {self.as_of})

    def _change_dates(self, rules: Sequence[Rule], hours: Sequence[Hours]) -> list[dt.date]:
        """The first date a plan may be ready on and every later date a verdict may change
        on: a planned day, or a license anniversary that completes the years of practice."""
        floor = self._floor(rules)
        changes = {h.date for h in hours} | self._anniversaries(rules)
        return sorted({floor} | {date for date in changes if date > floor})

    def _eligible(self, rules: Sequence[Rule], hours: Sequence[Hours], on: dt.date) -> bool:
        days = prepare_hours(hours, as_of=on)
        return all(
            evaluate(rule, hours=days, license_issued=_issued(self.learner, rule), as_of=on).status
            is Status.ELIGIBLE
            for rule in rules
        )

    def _first_eligible(self, rules: Sequence[Rule], hours: Sequence[Hours]) -> dt.date | None:
        """The first date every rule is met (bisection: eligibility never goes back)."""
        dates = self._change_dates(rules, hours)
        if not self._eligible(rules, hours, dates[-1]):
            return None
        low, high = 0, len(dates) - 1
        while low < high:
            middle = (low + high) // 2
            if self._eligible(rules, hours, dates[middle]):
                high = middle
            else:
                low = middle + 1
        return dates[low]

    def _ready_on(self, rules: Sequence[Rule], combo: Sequence[Offer]) -> dt.date | None:
        return self._first_eligible(rules, [*self.base, *(h for o in combo for h in o.days)])

    def _plan(self, rules: list[Rule], combo: Sequence[Offer]) -> Plan:
        hours = [*self.base, *(h for o in combo for h in o.days)]
        verdicts = []
        for rule in rules:
            on = self._first_eligible([rule], hours) or self.as_of  # met: the plan is ready
            issued = _issued(self.learner, rule)
            verdicts.append(evaluate(rule, hours=hours, license_issued=issued, as_of=on))
        offers = tuple(sorted(combo, key=lambda o: (o.first_day, o.id)))
        again = frozenset(o.course for o in offers) & self.learner.completed
        return Plan(offers, tuple(verdicts), again)
