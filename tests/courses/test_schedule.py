"""The offering schedule rules, as plain data: each bad plan gets its own message."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from courses.refunds import STANDARD_TIERS, Tier, refund_tier_errors, tiers_in_force
from courses.schedule import DayPlan, OfferingPlan, offering_plan_errors

NY = ZoneInfo("America/New_York")
MARCH_14 = dt.date(2027, 3, 14)


def _day(date: dt.date, start=(8, 0), end=(17, 30), hours="9") -> DayPlan:
    return DayPlan(date, dt.time(*start), dt.time(*end), Decimal(hours))


def _plan(**changes) -> OfferingPlan:
    plan = OfferingPlan(
        course_code="DN-2",
        contact_hours=Decimal(27),
        days=[_day(MARCH_14 + dt.timedelta(days=n)) for n in range(3)],
        capacity=16,
        registration_opens_at=dt.datetime(2026, 11, 1, 9, tzinfo=NY),
        registration_closes_at=dt.datetime(2027, 3, 12, 17, tzinfo=NY),
        timezone=NY,
    )
    return replace(plan, **changes)


def test_a_well_formed_plan_has_no_errors():
    assert offering_plan_errors(_plan()) == {}


def test_it_requires_at_least_one_day():
    assert offering_plan_errors(_plan(days=[]))["days"] == ["An offering needs at least one day."]


def test_a_day_must_end_after_it_starts():
    days = [_day(MARCH_14, start=(9, 0), end=(9, 0), hours="0"), *_plan().days[1:]]

    errors = offering_plan_errors(_plan(days=days, hours_reason="shorter"))

    assert errors["days"] == ["14 March 2027: the day must end after it starts."]


def test_a_days_hours_must_fit_between_its_start_and_end():
    days = [_day(MARCH_14, start=(8, 0), end=(12, 0), hours="9"), *_plan().days[1:]]

    errors = offering_plan_errors(_plan(days=days))

    assert errors["days"] == [
        "14 March 2027: 9 scheduled hours do not fit between 08:00 and 12:00."
    ]


def test_a_date_cannot_appear_twice():
    days = [_day(MARCH_14), _day(MARCH_14), _day(MARCH_14 + dt.timedelta(days=1))]

    assert offering_plan_errors(_plan(days=days))["days"] == [
        "14 March 2027 is listed more than once."
    ]


def test_the_days_must_add_up_to_the_contact_hours():
    days = [_day(MARCH_14 + dt.timedelta(days=n), hours="8.5") for n in range(3)]

    errors = offering_plan_errors(_plan(days=days))

    assert errors["hours_reason"] == [
        "The days add up to 25.5 hours but DN-2 has 27 contact hours. "
        "Correct the days, or explain the difference under “Hours reason”."
    ]


def test_a_stated_reason_accepts_different_hours():
    days = [_day(MARCH_14 + dt.timedelta(days=n), hours="8.5") for n in range(3)]

    assert offering_plan_errors(_plan(days=days, hours_reason="Makeup offering")) == {}


def test_capacity_must_be_at_least_one():
    assert offering_plan_errors(_plan(capacity=0))["capacity"] == ["Capacity must be at least 1."]


def test_registration_must_open_before_it_closes():
    closes = dt.datetime(2026, 10, 1, tzinfo=NY)

    errors = offering_plan_errors(_plan(registration_closes_at=closes))

    assert errors["registration_closes_at"] == ["Registration must open before it closes."]


def test_registration_must_close_before_the_first_day_starts_in_the_venues_timezone():
    # 14 March 2027 is the day daylight saving starts: 8:00 in New York is 12:00 UTC.
    ok = dt.datetime(2027, 3, 14, 11, 59, tzinfo=dt.UTC)
    late = dt.datetime(2027, 3, 14, 12, 0, tzinfo=dt.UTC)

    assert offering_plan_errors(_plan(registration_closes_at=ok)) == {}
    assert offering_plan_errors(_plan(registration_closes_at=late))["registration_closes_at"] == [
        "Registration must close before the first day starts (14 March 2027 08:00)."
    ]


def test_an_open_offering_cannot_lose_or_move_a_day():
    saved = frozenset(day.date for day in _plan().days)
    moved = [*_plan().days[:2], _day(MARCH_14 + dt.timedelta(days=5))]

    errors = offering_plan_errors(_plan(days=moved, was_open=True, saved_dates=saved))

    assert errors["days"] == [
        "This offering is open, so its days cannot be removed or moved (16 March 2027). "
        "Close or cancel it first."
    ]
    assert offering_plan_errors(_plan(days=moved, was_open=False, saved_dates=saved)) == {}


def test_capacity_cannot_shrink_below_confirmed_seats():
    errors = offering_plan_errors(_plan(capacity=5, confirmed_seats=6))

    assert errors["capacity"] == ["Capacity cannot go below the 6 seats already confirmed."]
    assert offering_plan_errors(_plan(capacity=6, confirmed_seats=6)) == {}


def test_only_instructors_may_teach():
    errors = offering_plan_errors(_plan(non_instructors=["Lena Ortiz"]))

    assert errors["instructors"] == [
        "Only instructors can teach an offering: Lena Ortiz do not have the instructor role."
    ]


def test_refund_tiers_may_not_repeat_a_day_count_or_give_more_later():
    assert refund_tier_errors(list(STANDARD_TIERS)) == []
    assert refund_tier_errors([Tier(28, 100), Tier(28, 50)]) == [
        "Two refund tiers start 28 days before the first day; keep one."
    ]
    assert refund_tier_errors([Tier(28, 50), Tier(14, 100)]) == [
        "Refund tiers must give back less the closer to the start: 14 days before cannot "
        "return more than 28 days before."
    ]


def test_an_offering_without_tiers_uses_the_standard_ones():
    assert tiers_in_force([]) == list(STANDARD_TIERS)
    assert tiers_in_force([Tier(7, 50), Tier(30, 100)]) == [Tier(30, 100), Tier(7, 50)]
