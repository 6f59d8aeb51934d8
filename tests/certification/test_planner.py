"""The pathway planner as a pure function of (rules, learner, offers, as-of): no database.
Each case is a question a clinician asks: what must I book, and when am I eligible?"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from certification.engine import Requirement, Rule, RuleStatus, Status
from certification.planner import (
    NO_COMBINATION,
    NO_LICENSE_DATE,
    TOO_FEW_HOURS,
    Learner,
    Offer,
    plan_pathway,
)
from certification.windows import Hours

D = Decimal
AS_OF = dt.date(2027, 1, 4)


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def offer(pk: int, course: str, first: str, *, full=False, price=89500, prerequisites=(),
          enroll_until=None) -> Offer:  # fmt: skip
    start = day(first)
    days = tuple(Hours(start + dt.timedelta(days=n), D(9), D(9)) for n in range(3))
    return Offer(pk, course, days, price, place=f"City {pk}", full=full,
                 prerequisites=tuple(prerequisites),
                 enroll_until=day(enroll_until) if enroll_until else None)  # fmt: skip


def rule(code: str, *requirements: Requirement, status=RuleStatus.PERMITTED) -> Rule:
    return Rule(code, f"State {code}", "PT", status, tuple(requirements), ("Tell the board.",))


def hours(date: str, amount: int) -> Hours:
    return Hours(day(date), D(amount), D(amount))


VA = rule("VA", Requirement("54 hours", D(54)))
MD = rule("MD", Requirement("80 hours", D(80), D(40)), Requirement("2 years", None, D(0), None, 2))
NV = rule("NV", Requirement("150 hours", D(150)))
CA = rule("CA", status=RuleStatus.PROHIBITED)
TWELVE = rule("IL", Requirement("54 within 12 months", D(54), D(54), 12))
CATALOG = [offer(1, "DN-1", "2027-02-01"), offer(2, "DN-2", "2027-03-01"),
           offer(3, "DN-1", "2027-05-03"), offer(4, "DN-2", "2027-06-07")]  # fmt: skip


def test_it_books_the_cheapest_courses_that_get_the_learner_there():
    pathway = plan_pathway([VA], learner=Learner(), offers=CATALOG, as_of=AS_OF)

    plan = pathway.cheapest
    assert [o.id for o in plan.offers] == [1, 2]  # 27 + 27 hours, the soonest dates
    assert plan.cost_cents == 179000
    assert plan.ready_on == day("2027-03-03")  # DN-2's last day: 54 hours counted
    assert pathway.plans == [plan]  # the earliest is the same plan, shown once


def test_it_books_only_what_is_missing_on_top_of_the_ledger():
    learner = Learner(hours=(hours("2026-10-10", 27),), completed=frozenset({"DN-1"}))

    pathway = plan_pathway([VA], learner=learner, offers=CATALOG, as_of=AS_OF)

    plan = pathway.cheapest
    assert [o.id for o in plan.offers] == [2]
    assert plan.verdicts[0].status is Status.ELIGIBLE
    assert plan.verdicts[0].as_of == day("2027-03-03")
    # Sooner, for the same price: DN-1 again in February, said as such.
    assert [o.id for o in pathway.earliest.offers] == [1]
    assert pathway.earliest.again == {"DN-1"}


def test_a_window_that_expires_before_the_planned_course_needs_the_course_again():
    learner = Learner(hours=(hours("2026-02-20", 27),), completed=frozenset({"DN-1"}))

    # DN-2 in March 2027 falls after the 12-month window that began on 20 February 2026:
    # the hours on record no longer help, so DN-1 is taken again with it.
    late = plan_pathway([TWELVE], learner=learner, offers=CATALOG[1:], as_of=AS_OF).cheapest
    assert [o.id for o in late.offers] == [2, 3]
    assert late.again == {"DN-1"}
    assert late.verdicts[0].requirements[0].window.start == day("2027-03-01")
    assert late.ready_on == day("2027-05-05")

    # A DN-2 before 20 February 2027 still meets it with the hours on record.
    early = [*CATALOG, offer(5, "DN-2", "2027-02-08")]
    soon = plan_pathway([TWELVE], learner=learner, offers=early, as_of=AS_OF).cheapest
    assert [o.id for o in soon.offers] == [5]
    assert soon.verdicts[0].requirements[0].window.start == day("2026-02-20")


def test_a_prerequisite_is_planned_to_finish_before_the_course_that_needs_it():
    advanced = rule("XX", Requirement("81 hours", D(81)))
    offers = [*CATALOG,
              offer(7, "ADV", "2027-02-15", prerequisites=["DN-1", "DN-2"]),  # before DN-2
              offer(8, "ADV", "2027-04-05", prerequisites=["DN-1", "DN-2"]),
              offer(9, "ADV", "2027-05-10", prerequisites=["DN-1", "DN-2"],
                    enroll_until="2027-03-02")]  # closes before DN-2 is completed  # fmt: skip

    plan = plan_pathway([advanced], learner=Learner(), offers=offers, as_of=AS_OF).cheapest

    assert [o.id for o in plan.offers] == [1, 2, 8]
    assert plan.ready_on == day("2027-04-07")


def test_a_completed_prerequisite_lets_the_course_come_first():
    advanced = rule("XX", Requirement("27 hours", D(27)))
    learner = Learner(completed=frozenset({"DN-1", "DN-2"}))
    offers = [offer(7, "ADV", "2027-01-18", prerequisites=["DN-1", "DN-2"], price=50000),
              *CATALOG]  # fmt: skip

    pathway = plan_pathway([advanced], learner=learner, offers=offers, as_of=AS_OF)

    assert [o.id for o in pathway.earliest.offers] == [7]
    assert [o.id for o in pathway.cheapest.offers] == [7]


def test_a_full_offering_is_a_waitlist_and_a_free_seat_on_the_same_days_comes_first():
    full_first = [offer(1, "DN-1", "2027-02-01", full=True), *CATALOG[1:]]
    plan = plan_pathway([VA], learner=Learner(), offers=full_first, as_of=AS_OF).cheapest
    assert [o.id for o in plan.waitlisted] == [1]  # the soonest DN-1 is full: join its waitlist

    same_days = [*full_first, offer(11, "DN-1", "2027-02-01")]
    plan = plan_pathway([VA], learner=Learner(), offers=same_days, as_of=AS_OF).cheapest
    assert [o.id for o in plan.offers] == [11, 2] and not plan.waitlisted


def test_a_prohibiting_state_is_not_planned_and_the_others_still_are():
    pathway = plan_pathway([CA, VA], learner=Learner(), offers=CATALOG, as_of=AS_OF)

    assert [v.rule.jurisdiction for v in pathway.not_plannable] == ["CA"]
    assert [v.status for v in pathway.not_plannable] == [Status.PROHIBITED]
    assert [v.rule.jurisdiction for v in pathway.cheapest.verdicts] == ["VA"]


def test_it_says_what_is_missing_when_no_offering_can_get_there():
    pathway = plan_pathway([NV, VA], learner=Learner(), offers=CATALOG, as_of=AS_OF)

    (shortfall,) = pathway.shortfalls
    assert (shortfall.verdict.rule.jurisdiction, shortfall.reason) == ("NV", TOO_FEW_HOURS)
    assert shortfall.verdict.requirements[0].missing == 96  # 150 - DN-1 and DN-2's 54
    assert [v.rule.jurisdiction for v in pathway.cheapest.verdicts] == ["VA"]


def test_years_of_practice_wait_for_the_license_anniversary():
    licensed = Learner(license_issued={"MD": day("2025-06-01")},
                       hours=(hours("2026-09-01", 27),))  # fmt: skip
    plan = plan_pathway([MD], learner=licensed, offers=CATALOG, as_of=AS_OF).cheapest

    assert [o.id for o in plan.offers] == [1, 2]  # 27 on record + 54: 81 of the 80 hours
    assert plan.ready_on == day("2027-06-01")  # the second anniversary, after the hours

    unlicensed = plan_pathway([MD], learner=Learner(), offers=CATALOG, as_of=AS_OF)
    assert unlicensed.shortfalls[0].reason == NO_LICENSE_DATE


def test_seats_already_held_count_and_are_not_booked_again():
    learner = Learner(booked=(offer(20, "DN-1", "2027-01-11"),))

    plan = plan_pathway([VA], learner=learner, offers=CATALOG, as_of=AS_OF).cheapest

    assert [o.id for o in plan.offers] == [2]  # DN-1 is booked already
    assert plan.ready_on == day("2027-03-03")


def test_the_cheapest_meets_the_target_date_when_a_dearer_plan_does_not_matter():
    cheap_late = [offer(1, "DN-1", "2027-05-03", price=50000),
                  offer(2, "DN-1", "2027-02-01", price=50000),
                  offer(3, "DN-2", "2027-02-15", price=99000)]  # fmt: skip
    one_course = rule("TN", Requirement("24 hours", D(24)))

    pathway = plan_pathway([one_course], learner=Learner(), offers=cheap_late, as_of=AS_OF,
                           target=day("2027-02-05"))  # fmt: skip

    assert [o.id for o in pathway.cheapest.offers] == [2]
    assert pathway.meets_target(pathway.cheapest)


def test_a_target_date_no_plan_meets_still_shows_the_earliest_and_says_so():
    pathway = plan_pathway([VA], learner=Learner(), offers=CATALOG, as_of=AS_OF,
                           target=day("2027-02-10"))  # fmt: skip

    assert pathway.earliest.ready_on == day("2027-03-03")
    assert not pathway.meets_target(pathway.earliest)


def test_states_with_windows_that_cannot_be_met_together_are_explained():
    apart = rule("UT", Requirement("54 within 1 month", D(54), D(0), 1))
    offers = [offer(1, "DN-1", "2027-02-01"), offer(2, "DN-2", "2027-06-07")]

    pathway = plan_pathway([apart], learner=Learner(), offers=offers, as_of=AS_OF)

    assert pathway.plans == []
    assert [(s.verdict.rule.jurisdiction, s.reason) for s in pathway.shortfalls] == [
        ("UT", NO_COMBINATION)
    ]


def test_a_state_already_eligible_needs_no_plan():
    learner = Learner(hours=(hours("2026-06-01", 27), hours("2026-09-01", 27)))

    pathway = plan_pathway([VA], learner=learner, offers=CATALOG, as_of=AS_OF)

    assert [v.rule.jurisdiction for v in pathway.eligible_now] == ["VA"]
    assert pathway.plans == []
