"""How far a learner is toward a certification (DESIGN.md 3.4): a pure function of their
facts, shared by the dashboard and issuance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .windows import Days, Hours, Window, best_window


@dataclass(frozen=True)
class ProgramSpec:
    """A program's requirements as plain data (from `certification.models.Program`)."""

    name: str
    courses: tuple[str, ...]
    min_hours: Decimal
    window_months: int
    requires_license: bool = True


@dataclass(frozen=True)
class ProgramProgress:
    program: ProgramSpec
    window: Window
    courses_completed: dict[str, bool]
    license_verified: bool

    @property
    def hours_met(self) -> bool:
        return self.window.total >= self.program.min_hours

    @property
    def complete(self) -> bool:
        license_ok = self.license_verified or not self.program.requires_license
        return (
            bool(self.courses_completed)
            and self.hours_met
            and all(self.courses_completed.values())
            and license_ok
        )

    @property
    def steps_done(self) -> int:
        return sum([self.hours_met, *self.courses_completed.values(), self.license_verified])

    @property
    def steps(self) -> int:
        return len(self.courses_completed) + 2


def program_progress(
    program: ProgramSpec,
    *,
    course_hours: Days | Iterable[Hours],
    completed_courses: set[str],
    license_verified: bool,
) -> ProgramProgress:
    """`course_hours` are the ledger hours from the program's courses (corrections included);
    the best window of `window_months` must hold `min_hours` of them."""
    window = best_window(
        course_hours,
        months=program.window_months,
        min_total=program.min_hours,
        min_in_person=Decimal(0),
    )
    return ProgramProgress(
        program=program,
        window=window,
        courses_completed={code: code in completed_courses for code in program.courses},
        license_verified=license_verified,
    )
