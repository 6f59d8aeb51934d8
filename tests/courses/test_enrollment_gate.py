"""The enrollment gate (DESIGN.md 3.3), as plain data: each refusal with its own reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from courses.gate import GateFacts, enrollment_refusals
from courses.registration import Registration, registration_state

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def _registration(now: dt.datetime = NOW, **changes) -> Registration:
    fields = {
        "status": "open", "opens_at": dt.datetime(2026, 9, 1, tzinfo=NY),
        "closes_at": dt.datetime(2027, 3, 2, 17, tzinfo=NY), "first_day": dt.date(2027, 3, 4),
        "last_day": dt.date(2027, 3, 6), "now": now, "tz": NY,
    }  # fmt: skip
    return registration_state(**{**fields, **changes})


def _facts(*, now: dt.datetime = NOW, registration: dict | None = None, **changes) -> GateFacts:
    facts = GateFacts(
        course_code="DN-1",
        admitted_professions=frozenset({"PT", "DC", "MD"}),
        prerequisites=(),
        registration=_registration(now, **(registration or {})),
        profile_complete=True,
        student_program="",
        license_professions=frozenset({"PT"}),
        completed_courses=frozenset(),
        live_enrollment_status=None,
    )
    return replace(facts, **changes)


def test_a_licensed_pt_may_enroll():
    assert enrollment_refusals(_facts()) == []


def test_a_final_year_student_may_enroll_without_a_license():
    facts = _facts(student_program="DPT", license_professions=frozenset())

    assert enrollment_refusals(facts) == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"profile_complete": False},
         "Complete your profile first: your legal name, and your profession or student program."),
        ({"license_professions": frozenset({"ATC"})}, "Your profession is not admitted to DN-1."),
        ({"license_professions": frozenset()},
         "Add your license before enrolling: DN-1 is for licensed clinicians and final-year "
         "DPT, DC and MD students."),
        ({"course_code": "DN-3", "prerequisites": ("DN-1", "DN-2"),
          "completed_courses": frozenset({"DN-1"})}, "DN-3 requires DN-1 and DN-2 completed."),
        ({"registration": {"status": "cancelled"}}, "This offering is cancelled."),
        ({"registration": {"status": "closed"}}, "Registration is closed."),
        ({"registration": {"opens_at": dt.datetime(2026, 12, 1, 9, tzinfo=NY)}},
         "Registration opens on 1 December 2026."),
        ({"registration": {"closes_at": dt.datetime(2026, 11, 23, 6, tzinfo=NY)}},
         "Registration closed on 23 November 2026."),
        ({"registration": {"first_day": dt.date(2026, 11, 22)}},
         "This class started on 22 November 2026."),
        ({"registration": {"first_day": dt.date(2026, 11, 2), "last_day": dt.date(2026, 11, 4)}},
         "This class has finished."),
        ({"live_enrollment_status": "confirmed"}, "You already have a seat in this offering."),
        ({"live_enrollment_status": "waitlisted"},
         "You are already on the waitlist for this offering."),
        ({"seat_in_course": "Denver, CO, 3 May 2027"},
         "You already have a seat in DN-1 (Denver, CO, 3 May 2027). To change dates, transfer "
         "that seat from My courses instead."),
    ],
)  # fmt: skip
def test_each_refusal_gives_its_reason(changes, reason):
    assert enrollment_refusals(_facts(**changes)) == [reason]


def test_prerequisites_completed_let_the_learner_in():
    facts = _facts(prerequisites=("DN-1", "DN-2"), completed_courses=frozenset({"DN-1", "DN-2"}))

    assert enrollment_refusals(facts) == []


def test_registration_closes_at_the_exact_moment_given():
    closes = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)

    assert enrollment_refusals(_facts(registration={"closes_at": closes})) == [
        "Registration closed on 23 November 2026."
    ]
    before = NOW - dt.timedelta(seconds=1)
    assert enrollment_refusals(_facts(now=before, registration={"closes_at": closes})) == []


def test_every_reason_is_listed_at_once():
    facts = _facts(profile_complete=False, live_enrollment_status="held")

    assert len(enrollment_refusals(facts)) == 2
