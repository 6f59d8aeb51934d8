"""Rule-change alerts (issue 18, section 2), the pure part: a rule's change in words, whether
a change can move anyone's verdict at all, and whether it moved one learner's (re-evaluated
with the engine, before vs after), with the requirements that moved. No database, no clock:
the rules, hours and dates come in as data (rule_notices.py loads them and writes notices)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from learners.hours import format_hours

from .engine import Requirement, Row, Rule, RuleStatus, Verdict, evaluate
from .windows import Days, Hours

STATUS_WORDS = {
    RuleStatus.PERMITTED: "permitted",
    RuleStatus.PROHIBITED: "prohibited",
    RuleStatus.NO_RULE: "no rule on file",
}
# A verdict's display status (Verdict.display_status) as notices and emails write it.
VERDICT_WORDS = {
    "eligible": "Eligible",
    "eligible_if": "Eligible if the conditions are met",
    "not_yet": "Not yet eligible",
    "prohibited": "Prohibited",
    "unknown": "Unknown: ask the board",
}
ROW_WORDS = {
    "total_hours": "hours",
    "in_person_hours": "hours in person",
    "prior_practice_years": "years of practice",
}


def _amount(value: Decimal | int | None, unit: str) -> str:
    if value is None:
        return "none"
    number = format_hours(value) if isinstance(value, Decimal) else str(value)
    return f"{number} {unit}".strip()


def _requirement_words(requirement: Requirement) -> str:
    parts = []
    if requirement.min_total_hours is not None:
        parts.append(_amount(requirement.min_total_hours, "hours"))
    if requirement.min_in_person_hours:
        parts.append(_amount(requirement.min_in_person_hours, "hours in person"))
    if requirement.window_months:
        parts.append(f"within {requirement.window_months} months")
    if requirement.prior_practice_years:
        parts.append(f"after {requirement.prior_practice_years} years of practice")
    return ", ".join(parts)


def _requirement_changes(before: Requirement, after: Requirement) -> list[str]:
    label = after.label
    fields = (
        ("min_total_hours", "hours", ""),
        ("min_in_person_hours", "hours in person", ""),
        ("window_months", "time window", "months"),
        ("prior_practice_years", "years of practice before", ""),
    )
    lines = []
    if before.label != after.label:
        lines.append(f"Requirement renamed: “{before.label}” is now “{after.label}”.")
    for name, words, unit in fields:
        old, new = getattr(before, name), getattr(after, name)
        if name == "min_in_person_hours":  # 0 means none
            old, new = old or None, new or None
        if old != new:
            lines.append(f"{label}, {words}: {_amount(old, unit)} → {_amount(new, unit)}.")
    return lines


def rule_changes_in_words(before: Rule, after: Rule) -> list[str]:
    """What changed between two versions of a rule, one sentence each, in the order a reader
    checks a rule: status, requirements, conditions, effective date, sources."""
    lines = []
    if before.status != after.status:
        lines.append(f"Status: {STATUS_WORDS[before.status]} → {STATUS_WORDS[after.status]}.")
    for n in range(max(len(before.requirements), len(after.requirements))):
        old = before.requirements[n] if n < len(before.requirements) else None
        new = after.requirements[n] if n < len(after.requirements) else None
        if old is None and new is not None:
            lines.append(f"New requirement: {new.label} ({_requirement_words(new)}).")
        elif new is None and old is not None:
            lines.append(f"Requirement removed: {old.label}.")
        elif old != new and old is not None and new is not None:
            lines.extend(_requirement_changes(old, new))
    lines += [f"New condition: {c}" for c in after.conditions if c not in before.conditions]
    lines += [f"Condition removed: {c}" for c in before.conditions if c not in after.conditions]
    if before.effective_date != after.effective_date:
        old, new = (f"{d:%-d %B %Y}" if d else "none" for d in
                    (before.effective_date, after.effective_date))  # fmt: skip
        lines.append(f"Effective date: {old} → {new}.")
    old_urls = {c.url for c in before.citations}
    new_urls = {c.url for c in after.citations}
    lines += [f"New source: {c.title or c.url}" for c in after.citations if c.url not in old_urls]
    lines += [f"Source removed: {c.title or c.url}" for c in before.citations
              if c.url not in new_urls]  # fmt: skip
    return lines


def rule_may_move_verdicts(before: Rule, after: Rule) -> bool:
    """Whether any learner's verdict can differ: a verdict's status follows the rule's status
    and requirements, and "eligible" turns "eligible if" with the first condition."""
    return (before.status, before.requirements, bool(before.conditions)) != (
        after.status, after.requirements, bool(after.conditions)
    )  # fmt: skip


@dataclass(frozen=True)
class VerdictChange:
    before: Verdict
    after: Verdict

    @property
    def old_status(self) -> str:
        return self.before.display_status

    @property
    def new_status(self) -> str:
        return self.after.display_status

    @property
    def moved(self) -> list[str]:
        """The requirement rows that moved for this learner: new or changed ones with where
        the learner stands, and those no longer asked."""
        old = {(row.requirement, row.code): row for row in self.before.requirements}
        new = {(row.requirement, row.code): row for row in self.after.requirements}
        lines = [
            _row_words(row)
            for key, row in new.items()
            if key not in old or (old[key].required, old[key].met) != (row.required, row.met)
        ]
        lines += [f"{requirement}: {ROW_WORDS.get(code, code)} no longer asked."
                  for (requirement, code) in old if (requirement, code) not in new]  # fmt: skip
        return lines


def _row_words(row: Row) -> str:
    unit = ROW_WORDS.get(row.code, row.code)
    required, counted = format_hours(row.required), format_hours(row.counted)
    if row.met:
        return f"{row.requirement}: {required} {unit} required, you have {counted}: met."
    missing = format_hours(row.missing)
    return f"{row.requirement}: {required} {unit} required, you have {counted}: {missing} missing."


def verdict_change(
    before: Rule, after: Rule, *, hours: Days | Iterable[Hours],
    license_issued: dt.date | None, as_of: dt.date,
) -> VerdictChange | None:  # fmt: skip
    """The learner's verdict under each version of the rule, when the two differ (as every
    page shows a verdict: "eligible if" apart from a plain "eligible"), else None."""
    was = evaluate(before, hours=hours, license_issued=license_issued, as_of=as_of)
    now = evaluate(after, hours=hours, license_issued=license_issued, as_of=as_of)
    return VerdictChange(was, now) if was.display_status != now.display_status else None
