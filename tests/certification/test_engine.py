"""The eligibility engine against every clause of DESIGN.md 3.1-3.2: pure data in, verdicts
out (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.engine import (
    Requirement,
    Rule,
    RuleStatus,
    Status,
    evaluate,
    full_years,
    prepare_hours,
)
from certification.windows import Days, Hours, add_months

D = Decimal


def h(date: str, hours: float, in_person: bool = True) -> Hours:
    value = D(str(hours))
    return Hours(dt.date.fromisoformat(date), value, value if in_person else D(0))


def rule(*requirements: Requirement, status=RuleStatus.PERMITTED, conditions=()) -> Rule:
    return Rule("XX", "Exampleland", "PT", status, tuple(requirements), tuple(conditions))


def verdict(r: Rule, hours, as_of="2026-11-01", issued=None):
    issued_on = dt.date.fromisoformat(issued) if issued else None
    return evaluate(r, hours=hours, license_issued=issued_on, as_of=dt.date.fromisoformat(as_of))


TWELVE_54 = Requirement("54 within 12 months", D(54), D(0), 12)


@pytest.mark.parametrize(
    ("requirement", "hours", "as_of", "status", "counted", "window"),
    [
        # A window of exactly 12 months: the end is exclusive.
        (
            TWELVE_54,
            [h("2025-01-10", 27), h("2026-01-09", 27)],
            "2026-11-01",
            Status.ELIGIBLE,
            54,
            ("2025-01-10", "2026-01-10"),
        ),
        (
            TWELVE_54,
            [h("2025-01-10", 27), h("2026-01-10", 27)],
            "2026-11-01",
            Status.NOT_YET,
            27,
            ("2025-01-10", "2026-01-10"),
        ),
        # Month ends: 31 January + 1 month is 28 February (calendar months, relativedelta).
        (
            Requirement("18 in a month", D(18), D(0), 1),
            [h("2026-01-31", 9), h("2026-02-28", 9)],
            "2026-11-01",
            Status.NOT_YET,
            9,
            ("2026-01-31", "2026-02-28"),
        ),
        (
            Requirement("18 in a month", D(18), D(0), 1),
            [h("2026-01-31", 9), h("2026-02-27", 9)],
            "2026-11-01",
            Status.ELIGIBLE,
            18,
            ("2026-01-31", "2026-02-28"),
        ),
        # Leap day: 29 February 2024 + 12 months is 28 February 2025.
        (
            Requirement("18 in a year", D(18), D(0), 12),
            [h("2024-02-29", 9), h("2025-02-28", 9)],
            "2026-11-01",
            Status.NOT_YET,
            9,
            ("2024-02-29", "2025-02-28"),
        ),
        (
            Requirement("18 in a year", D(18), D(0), 12),
            [h("2024-02-29", 9), h("2025-02-27", 9)],
            "2026-11-01",
            Status.ELIGIBLE,
            18,
            ("2024-02-29", "2025-02-28"),
        ),
        # Entries after the as-of date do not count.
        (
            TWELVE_54,
            [h("2026-10-01", 27), h("2026-11-02", 27)],
            "2026-11-01",
            Status.NOT_YET,
            27,
            ("2026-10-01", "2027-10-01"),
        ),
        (
            TWELVE_54,
            [h("2026-10-01", 27), h("2026-11-01", 27)],
            "2026-11-01",
            Status.ELIGIBLE,
            54,
            ("2026-10-01", "2027-10-01"),
        ),
        # No window: everything counted counts together, and no window is reported.
        (
            Requirement("54 ever", D(54)),
            [h("2015-01-01", 27), h("2026-01-01", 27)],
            "2026-11-01",
            Status.ELIGIBLE,
            54,
            None,
        ),
        # No entries at all.
        (TWELVE_54, [], "2026-11-01", Status.NOT_YET, 0, None),
    ],
)
def test_hour_windows(requirement, hours, as_of, status, counted, window):
    result = verdict(rule(requirement), hours, as_of)

    assert result.status is status
    row = result.requirements[0]
    assert (row.code, row.counted, row.missing) == (
        "total_hours",
        D(counted),
        max(D(0), D(54 if requirement is TWELVE_54 else requirement.min_total_hours) - counted),
    )
    reported = (str(row.window.start), str(row.window.end)) if row.window else None
    assert reported == window


def test_the_in_person_minimum_is_met_inside_the_same_window_as_the_total():
    requirement = Requirement("50, 40 in person, in 12 months", D(50), D(40), 12)
    hours = [h("2025-01-05", 30), h("2025-03-01", 20, in_person=False), h("2026-06-01", 20)]

    result = verdict(rule(requirement), hours)

    total, in_person = result.requirements
    assert result.status is Status.NOT_YET  # 50 in the first window, but only 30 in person
    assert (total.counted, in_person.counted, in_person.missing) == (D(50), D(30), D(10))
    assert total.window == in_person.window and str(total.window.start) == "2025-01-05"


def test_when_no_window_meets_the_one_with_the_fewest_hours_missing_is_reported_earliest_first():
    requirement = Requirement("54 in 12 months", D(54), D(0), 12)
    hours = [h("2024-01-01", 20), h("2025-06-01", 30), h("2026-07-01", 9), h("2026-08-01", 21)]

    row = verdict(rule(requirement), hours).requirements[0]

    # Windows from 2025-06-01 (30 + 9 + ...: 2026-06-01 end excludes July) = 30; from
    # 2026-07-01 = 30; from 2024-01-01 = 20. Fewest missing: 24, earliest is 2025-06-01.
    assert (str(row.window.start), row.counted, row.missing, row.met) == (
        "2025-06-01",
        D(30),
        D(24),
        False,
    )


def test_a_correction_inside_the_window_counts_against_it():
    hours = [h("2026-01-10", 27), h("2026-03-01", 27), h("2026-03-01", -3)]

    row = verdict(rule(TWELVE_54), hours).requirements[0]

    assert (row.counted, row.missing) == (D(51), D(3))


@pytest.mark.parametrize(
    ("issued", "as_of", "met", "years"),
    [
        ("2024-11-01", "2026-11-01", True, 2),  # the anniversary itself counts
        ("2024-11-02", "2026-11-01", False, 1),
        # A leap-day license: + 2 calendar years is 28 February (relativedelta, as for months).
        ("2024-02-29", "2026-02-27", False, 1),
        ("2024-02-29", "2026-02-28", True, 2),
        (None, "2026-11-01", False, 0),  # no license date: unmet
    ],
)
def test_prior_practice_years_at_the_boundary(issued, as_of, met, years):
    requirement = Requirement("Two years licensed", prior_practice_years=2)

    result = verdict(rule(requirement), [], as_of, issued)

    row = result.requirements[0]
    assert (row.code, row.required, row.counted, row.met) == (
        "prior_practice_years",
        D(2),
        D(years),
        met,
    )
    assert result.status is (Status.ELIGIBLE if met else Status.NOT_YET)


def test_several_requirements_are_each_reported_and_all_must_hold():
    first = Requirement("27 before first use", D(27))
    second = Requirement("54 in person within 12 months", D(54), D(54), 12)
    hours = [h("2026-03-14", 27)]

    result = verdict(rule(first, second), hours)

    assert [(r.requirement, r.code, r.met) for r in result.requirements] == [
        ("27 before first use", "total_hours", True),
        ("54 in person within 12 months", "total_hours", False),
        ("54 in person within 12 months", "in_person_hours", False),
    ]
    assert result.status is Status.NOT_YET


def test_prohibited_and_no_rule():
    assert (
        verdict(rule(status=RuleStatus.PROHIBITED), [h("2026-01-01", 100)]).status
        is Status.PROHIBITED
    )
    no_rule = verdict(rule(status=RuleStatus.NO_RULE, conditions=["Ask the board."]), [])
    assert (no_rule.status, no_rule.conditions) == (Status.UNKNOWN, ("Ask the board.",))


def test_permitted_without_an_hour_minimum_is_eligible_and_keeps_its_conditions():
    result = verdict(rule(conditions=["Competence is the PT's responsibility."]), [])

    assert result.status is Status.ELIGIBLE
    assert result.conditions == ("Competence is the PT's responsibility.",)


def test_full_years():
    assert full_years(dt.date(2019, 5, 1), dt.date(2026, 4, 30)) == 6
    assert full_years(dt.date(2019, 5, 1), dt.date(2026, 5, 1)) == 7
    assert full_years(dt.date(2027, 1, 1), dt.date(2026, 5, 1)) == 0


# Properties --------------------------------------------------------------------------

DATES = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 10, 31))


def _entry(date: dt.date, quarters: int, in_person: bool) -> Hours:
    return Hours(date, D(quarters) / 4, D(quarters) / 4 if in_person else D(0))


ENTRY = st.builds(_entry, DATES, st.integers(min_value=1, max_value=40), st.booleans())
REQUIREMENT = st.builds(
    lambda total, in_person, months: Requirement("r", D(total), D(min(in_person, total)), months),
    st.integers(min_value=1, max_value=120), st.integers(min_value=0, max_value=120),
    st.one_of(st.none(), st.integers(min_value=1, max_value=48)),
)  # fmt: skip
AS_OF = dt.date(2026, 11, 1)


@settings(max_examples=200, deadline=None)
@given(requirement=REQUIREMENT, hours=st.lists(ENTRY, max_size=30), extra=ENTRY)
def test_adding_an_entry_never_turns_eligible_into_not_yet(requirement, hours, extra):
    before = evaluate(rule(requirement), hours=hours, license_issued=None, as_of=AS_OF)
    after = evaluate(rule(requirement), hours=[*hours, extra], license_issued=None, as_of=AS_OF)

    assert not (before.status is Status.ELIGIBLE and after.status is Status.NOT_YET)


@settings(max_examples=200, deadline=None)
@given(requirement=REQUIREMENT, hours=st.lists(ENTRY, max_size=30), data=st.data())
def test_the_order_of_entries_changes_nothing(requirement, hours, data):
    shuffled = data.draw(st.permutations(hours))

    first = evaluate(rule(requirement), hours=hours, license_issued=None, as_of=AS_OF)
    second = evaluate(rule(requirement), hours=shuffled, license_issued=None, as_of=AS_OF)

    assert first == second


@settings(max_examples=200, deadline=None)
@given(requirement=REQUIREMENT, hours=st.lists(ENTRY, min_size=1, max_size=30))
def test_the_reported_window_holds_exactly_the_counted_hours(requirement, hours):
    result = evaluate(rule(requirement), hours=hours, license_issued=None, as_of=AS_OF)

    for row in result.requirements:
        inside = [
            e for e in hours if row.window is None or row.window.start <= e.date < row.window.end
        ]
        expected = sum((e.total if row.code == "total_hours" else e.in_person) for e in inside)
        assert row.counted == expected


@settings(max_examples=500, deadline=None)
@given(date=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
       months=st.integers(min_value=0, max_value=120))  # fmt: skip
def test_adding_months_is_exactly_relativedelta(date, months):
    assert add_months(date, months) == date + relativedelta(months=months)


@pytest.mark.parametrize(
    ("first", "second", "as_of", "months"),
    [("9999-06-01", "9999-12-30", "9999-12-31", 12),
     ("2026-01-10", "2026-10-01", "2026-11-01", 120_000)],
)  # fmt: skip
def test_a_window_reaching_past_the_calendars_end_stops_there(first, second, as_of, months):
    """No ValueError for a year past 9999: an as-of date near it, or a registrar's huge window."""
    r = rule(Requirement("54 in the window", D(54), window_months=months))

    result = verdict(r, [h(first, 27), h(second, 27)], as_of=as_of)

    assert result.status is Status.ELIGIBLE
    assert result.requirements[0].window.end == dt.date.max


# Re-evaluations in batches read daily sums from the database (learner_facts.learners_days):
# the engine must measure them exactly as it measures the ledger's entries.

LEDGER_ENTRY = st.builds(
    _entry,
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 6, 30)),  # some after AS_OF
    st.integers(min_value=-40, max_value=40).filter(bool),  # corrections are negative
    st.booleans(),
)


def _daily_sums(hours: list[Hours], as_of: dt.date) -> tuple[list, list, list]:
    """What the database returns for a learner: sums by date up to `as_of`, oldest first."""
    by_date: dict[dt.date, list[Decimal]] = {}
    for entry in hours:
        if entry.date <= as_of:
            sums = by_date.setdefault(entry.date, [D(0), D(0)])
            sums[0] += entry.total
            sums[1] += entry.in_person
    dates = sorted(by_date)
    return dates, [by_date[d][0] for d in dates], [by_date[d][1] for d in dates]


@settings(max_examples=300, deadline=None)
@given(requirements=st.lists(REQUIREMENT, min_size=1, max_size=3),
       hours=st.lists(LEDGER_ENTRY, max_size=40), issued=st.one_of(st.none(), DATES),
       years=st.one_of(st.none(), st.integers(0, 8)))  # fmt: skip
def test_daily_sums_from_the_database_give_the_verdict_of_the_entries(
    requirements, hours, issued, years
):
    if years is not None:
        requirements[0] = Requirement("years", prior_practice_years=years)
    r = rule(*requirements)
    days = Days.from_daily(*_daily_sums(hours, AS_OF))

    plain = evaluate(r, hours=hours, license_issued=issued, as_of=AS_OF)
    fast = evaluate(r, hours=days, license_issued=issued, as_of=AS_OF)

    assert fast == plain
    assert (days.dates, days.totals, days.in_person) == (
        (prepared := prepare_hours(hours, as_of=AS_OF)).dates, prepared.totals,
        prepared.in_person,
    )  # fmt: skip


def test_daily_sums_out_of_order_or_twice_for_a_date_are_refused():
    day, later = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    with pytest.raises(ValueError, match="one per date, oldest first"):
        Days.from_daily([later, day], [D(1), D(1)], [D(0), D(0)])
    with pytest.raises(ValueError, match="one per date, oldest first"):
        Days.from_daily([day, day], [D(1), D(1)], [D(0), D(0)])


def test_a_daily_sum_that_is_not_whole_quarter_hours_is_refused():
    with pytest.raises(ValueError, match="not a multiple of 0.25"):
        Days.from_daily([dt.date(2026, 1, 1)], [D("1.1")], [D(0)])
