"""What an instructor's mark on a course day means, and when an enrollment is complete
(DESIGN.md 3.4). Plain functions of data: the roster service and its form share them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import TextChoices

from config.errors import ApplicationError
from learners.hours import QUARTER_HOURS_ERROR, format_hours, is_quarter_hours

ZERO = Decimal(0)

PARTIAL_NEEDS_HOURS = "Give the hours attended for a partial day."
NEGATIVE_HOURS = "Hours cannot be negative."
ABOVE_DAY = "At most the day's {hours} scheduled hours."


class Mark(TextChoices):
    PRESENT = "present", "Present, full day"
    PARTIAL = "partial", "Partial"
    ABSENT = "absent", "Absent"


class MarkError(ApplicationError):
    code = "mark_refused"


def hours_for_mark(mark: Mark, partial_hours: Decimal | None, *, scheduled: Decimal) -> Decimal:
    """The hours a mark credits: the whole day, none, or the partial hours given."""
    if mark is Mark.PRESENT:
        return scheduled
    if mark is Mark.ABSENT:
        return ZERO
    if partial_hours is None:
        raise MarkError(PARTIAL_NEEDS_HOURS)
    if partial_hours < 0:
        raise MarkError(NEGATIVE_HOURS)
    if not is_quarter_hours(partial_hours):
        raise MarkError(QUARTER_HOURS_ERROR)
    if partial_hours > scheduled:
        raise MarkError(ABOVE_DAY.format(hours=format_hours(scheduled)))
    return partial_hours


def mark_for_hours(hours: Decimal, *, scheduled: Decimal) -> Mark:
    """How hours already on the ledger for a day read back as a mark."""
    if hours >= scheduled:
        return Mark.PRESENT
    return Mark.ABSENT if hours <= 0 else Mark.PARTIAL


@dataclass(frozen=True)
class CompletionFacts:
    hours_attended: Decimal
    contact_hours: Decimal
    written_score: int | None
    practical_passed: bool | None
    pass_mark: int
    all_days_signed_off: bool


class Outcome(StrEnum):
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    IN_PROGRESS = "in_progress"


def completion_outcome(facts: CompletionFacts) -> Outcome:
    """Completed once the hours reach the course's contact hours and both assessments are
    passed; incomplete when every day is signed off and both results are in but that is
    not so; otherwise still in progress."""
    hours_met = facts.hours_attended >= facts.contact_hours
    written_passed = facts.written_score is not None and facts.written_score >= facts.pass_mark
    if hours_met and written_passed and facts.practical_passed is True:
        return Outcome.COMPLETED
    results_in = facts.written_score is not None and facts.practical_passed is not None
    if facts.all_days_signed_off and results_in:
        return Outcome.INCOMPLETE
    return Outcome.IN_PROGRESS
