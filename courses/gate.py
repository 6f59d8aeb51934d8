"""Who may take a seat (DESIGN.md 3.3), as plain data in and reasons out: an empty list
means the learner may enroll. Each reason says exactly what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .registration import Registration

PROFILE_INCOMPLETE = (
    "Complete your profile first: your legal name, and your profession or student program."
)
NO_ADMITTED_LICENSE = (
    "Add your license before enrolling: {course} is for licensed clinicians and final-year "
    "DPT, DC and MD students."
)
PROFESSION_NOT_ADMITTED = "Your profession is not admitted to {course}."
PREREQUISITES_MISSING = "{course} requires {courses} completed."
ALREADY_ENROLLED = {
    "waitlisted": "You are already on the waitlist for this offering.",
    "offered": "A seat in this offering is already held for you: pay for it under My courses.",
    "held": "A seat in this offering is already held for you: pay for it under My courses.",
}
ALREADY_IN_OFFERING = "You already have a seat in this offering."
SEAT_IN_COURSE = (
    "You already have a seat in {course} ({seat}). To change dates, transfer that seat "
    "from My courses instead."
)

STUDENT_PROGRAMS = frozenset({"DPT", "DC", "MD"})


@dataclass(frozen=True)
class GateFacts:
    course_code: str
    admitted_professions: frozenset[str]
    prerequisites: Sequence[str]
    registration: Registration
    profile_complete: bool
    student_program: str
    license_professions: frozenset[str]  # professions of current, non-rejected licenses
    completed_courses: frozenset[str]
    live_enrollment_status: str | None  # in this offering, e.g. "confirmed", or None
    # Another offering of the same course where the learner holds a live seat, e.g.
    # "Denver, CO, 3 May 2027": one live seat per course (a new date is a transfer).
    seat_in_course: str | None = None


def enrollment_refusals(facts: GateFacts) -> list[str]:
    """Every reason the learner may not take a seat now, in the order they would fix them."""
    return (
        _learner_refusals(facts)
        + _prerequisite_refusals(facts)
        + _registration_refusals(facts)
        + already_enrolled(facts)
    )


def placement_refusals(facts: GateFacts) -> list[str]:
    """Why a registrar may not place the learner in a seat: as for enrolling, except the
    registration window (a registrar may seat a learner after registration has closed)."""
    return _learner_refusals(facts) + _prerequisite_refusals(facts) + already_enrolled(facts)


def _prerequisite_refusals(facts: GateFacts) -> list[str]:
    if all(code in facts.completed_courses for code in facts.prerequisites):
        return []
    return [PREREQUISITES_MISSING.format(
        course=facts.course_code, courses=_and_list(facts.prerequisites)
    )]  # fmt: skip


def already_enrolled(facts: GateFacts) -> list[str]:
    """The learner already has a place here or in this course: nothing for them to fix, so
    pages show it apart from the other refusals."""
    if facts.live_enrollment_status:
        return [ALREADY_ENROLLED.get(facts.live_enrollment_status, ALREADY_IN_OFFERING)]
    if facts.seat_in_course:
        return [SEAT_IN_COURSE.format(course=facts.course_code, seat=facts.seat_in_course)]
    return []


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


def _registration_refusals(facts: GateFacts) -> list[str]:
    return [] if facts.registration.is_open else [facts.registration.refusal]


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
