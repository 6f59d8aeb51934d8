"""Who may take a seat (DESIGN.md 3.3), as plain data in and reasons out: an empty list
means the learner may enroll. Each reason says exactly what is missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

PROFILE_INCOMPLETE = (
    "Complete your profile first: your legal name, and your profession or student program."
)
NO_ADMITTED_LICENSE = (
    "Add your license before enrolling: {course} is for licensed clinicians and final-year "
    "DPT, DC and MD students."
)
PROFESSION_NOT_ADMITTED = "Your profession is not admitted to {course}."
PREREQUISITES_MISSING = "{course} requires {courses} completed."
NOT_OPEN = "This offering is {status}: it takes no enrollments."
REGISTRATION_NOT_YET_OPEN = "Registration opens on {date}."
REGISTRATION_CLOSED = "Registration closed on {date}."
ALREADY_ENROLLED = "You already have a place in this offering ({status})."

STUDENT_PROGRAMS = frozenset({"DPT", "DC", "MD"})


@dataclass(frozen=True)
class GateFacts:
    course_code: str
    admitted_professions: frozenset[str]
    prerequisites: Sequence[str]
    offering_status: str  # the status's display text when it is not open, e.g. "cancelled"
    offering_is_open: bool
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    timezone: dt.tzinfo
    profile_complete: bool
    student_program: str
    license_professions: frozenset[str]  # professions of current, non-rejected licenses
    completed_courses: frozenset[str]
    live_enrollment_status: str | None  # e.g. "confirmed", or None


def enrollment_refusals(facts: GateFacts, *, now: dt.datetime) -> list[str]:
    """Every reason the learner may not take a seat now, in the order they would fix them."""
    return (
        _learner_refusals(facts)
        + _prerequisite_refusals(facts)
        + _registration_refusals(facts, now)
        + _already_enrolled(facts)
    )


def placement_refusals(facts: GateFacts) -> list[str]:
    """Why a registrar may not place the learner in a seat: as for enrolling, except the
    registration window (a registrar may seat a learner after registration has closed)."""
    return _learner_refusals(facts) + _prerequisite_refusals(facts) + _already_enrolled(facts)


def _prerequisite_refusals(facts: GateFacts) -> list[str]:
    if all(code in facts.completed_courses for code in facts.prerequisites):
        return []
    return [PREREQUISITES_MISSING.format(
        course=facts.course_code, courses=_and_list(facts.prerequisites)
    )]  # fmt: skip


def _already_enrolled(facts: GateFacts) -> list[str]:
    if not facts.live_enrollment_status:
        return []
    return [ALREADY_ENROLLED.format(status=facts.live_enrollment_status)]


def _learner_refusals(facts: GateFacts) -> list[str]:
    if not facts.profile_complete:
        return [PROFILE_INCOMPLETE]
    if facts.student_program in STUDENT_PROGRAMS:
        return []
    if facts.license_professions & facts.admitted_professions:
        return []
    if facts.license_professions:
        return [PROFESSION_NOT_ADMITTED.format(course=facts.course_code)]
    return [NO_ADMITTED_LICENSE.format(course=facts.course_code)]


def _registration_refusals(facts: GateFacts, now: dt.datetime) -> list[str]:
    if not facts.offering_is_open:
        return [NOT_OPEN.format(status=facts.offering_status)]
    if now < facts.registration_opens_at:
        return [REGISTRATION_NOT_YET_OPEN.format(date=_day(facts.registration_opens_at, facts))]
    if now >= facts.registration_closes_at:
        return [REGISTRATION_CLOSED.format(date=_day(facts.registration_closes_at, facts))]
    return []


def _day(moment: dt.datetime, facts: GateFacts) -> str:
    return f"{moment.astimezone(facts.timezone):%-d %B %Y}"


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
