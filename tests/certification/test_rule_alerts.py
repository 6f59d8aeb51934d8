"""Rule-change alerts, the pure part (no database): a rule's change in words, whether a change
can move a verdict, and whether it moved one learner's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from certification.engine import Citation, Requirement, Rule, RuleStatus
from certification.rule_alerts import (
    rule_changes_in_words,
    rule_may_move_verdicts,
    verdict_change,
)
from certification.windows import Hours

AS_OF = dt.date(2026, 11, 23)
TRAINING = Requirement("Post-professional training", min_total_hours=Decimal(54))
VIRGINIA = Rule(
    "VA", "Virginia", "PT", RuleStatus.PERMITTED, requirements=(TRAINING,),
    conditions=("A written referral.",),
    citations=(Citation("https://www.dhp.virginia.gov/", "Board of Physical Therapy"),),
    effective_date=dt.date(2020, 1, 1),
)  # fmt: skip
# DN-1 and DN-2: 54 hours in person.
HOURS = [Hours(dt.date(2026, 3, d), Decimal(9), Decimal(9)) for d in (14, 15, 16)] + [
    Hours(dt.date(2026, 6, d), Decimal(9), Decimal(9)) for d in (5, 6, 7)
]


def _stricter(**fields) -> Rule:
    return replace(VIRGINIA, requirements=(replace(TRAINING, **fields),))


def test_it_words_a_changed_hour_minimum():
    lines = rule_changes_in_words(VIRGINIA, _stricter(min_total_hours=Decimal(60)))

    assert lines == ["Post-professional training, hours: 54 → 60."]


def test_it_words_every_part_of_a_requirement():
    after = _stricter(min_in_person_hours=Decimal(27), window_months=12, prior_practice_years=2)

    assert rule_changes_in_words(VIRGINIA, after) == [
        "Post-professional training, hours in person: none → 27.",
        "Post-professional training, time window: none → 12 months.",
        "Post-professional training, years of practice before: none → 2.",
    ]


def test_it_words_status_conditions_date_and_sources():
    after = replace(
        VIRGINIA, status=RuleStatus.PROHIBITED, requirements=(),
        conditions=("Only under a physician's order.",), effective_date=dt.date(2027, 3, 1),
        citations=(Citation("https://law.lis.virginia.gov/", "18VAC112-20-121"),),
    )  # fmt: skip

    assert rule_changes_in_words(VIRGINIA, after) == [
        "Status: permitted → prohibited.",
        "Requirement removed: Post-professional training.",
        "New condition: Only under a physician's order.",
        "Condition removed: A written referral.",
        "Effective date: 1 January 2020 → 1 March 2027.",
        "New source: 18VAC112-20-121",
        "Source removed: Board of Physical Therapy",
    ]


def test_it_words_a_new_requirement_with_what_it_asks():
    second = Requirement("Within a year", Decimal(27), Decimal(27), window_months=12)
    after = replace(VIRGINIA, requirements=(TRAINING, second))

    assert rule_changes_in_words(VIRGINIA, after) == [
        "New requirement: Within a year (27 hours, 27 hours in person, within 12 months)."
    ]


def test_a_review_date_or_a_new_source_cannot_move_a_verdict():
    reviewed = replace(VIRGINIA, last_reviewed=dt.date(2026, 12, 1),
                       citations=(Citation("https://example.org/new"),))  # fmt: skip

    assert not rule_may_move_verdicts(VIRGINIA, reviewed)
    assert rule_may_move_verdicts(VIRGINIA, _stricter(min_total_hours=Decimal(60)))
    assert rule_may_move_verdicts(VIRGINIA, replace(VIRGINIA, conditions=()))
    assert rule_may_move_verdicts(VIRGINIA, replace(VIRGINIA, status=RuleStatus.PROHIBITED))


def test_a_learner_short_of_the_new_minimum_is_now_not_yet_with_what_is_missing():
    change = verdict_change(VIRGINIA, _stricter(min_total_hours=Decimal(60)), hours=HOURS,
                            license_issued=dt.date(2019, 5, 1), as_of=AS_OF)  # fmt: skip

    assert change is not None
    assert (change.old_status, change.new_status) == ("eligible_if", "not_yet")
    assert change.moved == [
        "Post-professional training: 60 hours required, you have 54: 6 missing."
    ]


def test_a_learner_whose_verdict_stays_the_same_gets_no_change():
    stricter = _stricter(min_total_hours=Decimal(60))

    assert verdict_change(VIRGINIA, stricter, hours=HOURS * 2, license_issued=None,
                          as_of=AS_OF) is None  # fmt: skip  # 108 hours: eligible under both
    assert verdict_change(VIRGINIA, stricter, hours=HOURS[:3], license_issued=None,
                          as_of=AS_OF) is None  # fmt: skip  # 27 hours: not yet under both


def test_hours_after_the_as_of_date_do_not_count():
    later = [Hours(dt.date(2026, 12, 1), Decimal(9), Decimal(9))]

    assert verdict_change(VIRGINIA, _stricter(min_total_hours=Decimal(60)),
                          hours=HOURS + later, license_issued=None,
                          as_of=AS_OF).new_status == "not_yet"  # fmt: skip


def test_dropping_the_last_condition_turns_eligible_if_into_eligible():
    change = verdict_change(VIRGINIA, replace(VIRGINIA, conditions=()), hours=HOURS,
                            license_issued=None, as_of=AS_OF)  # fmt: skip

    assert (change.old_status, change.new_status) == ("eligible_if", "eligible")
    assert change.moved == []  # no requirement moved: the conditions did


def test_a_new_rule_replaces_unknown_and_years_of_practice_count_from_the_license():
    no_rule = Rule("VA", "Virginia", "PT", RuleStatus.NO_RULE)
    practice = Requirement("Practice first", prior_practice_years=2)
    years = replace(VIRGINIA, conditions=(), requirements=(practice,))

    recent = verdict_change(no_rule, years, hours=[], license_issued=dt.date(2025, 6, 1),
                            as_of=AS_OF)  # fmt: skip
    seasoned = verdict_change(no_rule, years, hours=[], license_issued=dt.date(2019, 5, 1),
                              as_of=AS_OF)  # fmt: skip

    assert (recent.old_status, recent.new_status) == ("unknown", "not_yet")
    assert recent.moved == ["Practice first: 2 years of practice required, you have 1: 1 missing."]
    assert seasoned.new_status == "eligible"
    assert seasoned.moved == ["Practice first: 2 years of practice required, you have 7: met."]


def test_a_prohibition_says_the_requirement_no_longer_applies():
    change = verdict_change(VIRGINIA, replace(VIRGINIA, status=RuleStatus.PROHIBITED,
                                              requirements=()),
                            hours=HOURS, license_issued=None, as_of=AS_OF)  # fmt: skip

    assert change.new_status == "prohibited"
    assert change.moved == ["Post-professional training: hours no longer asked."]
