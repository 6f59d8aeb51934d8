"""Recording a class's assessment results (DESIGN.md 2, 3.4): each change is a new row, the
latest is the result, and completion follows at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import AssessmentResult, Enrollment, Offering
from .completion import enrollments_refresh_completion, latest_results
from .roster import RosterError, ensure_may_record, not_on_roster_message

BEFORE_COURSE = "Results are recorded from the course's first day ({date})."
SCORE_RANGE = "A written score is a whole number from 0 to 100."


@dataclass(frozen=True)
class Result:
    written_score: int | None
    practical_passed: bool | None


@transaction.atomic
def assessments_record(*, offering_id: int, results: dict[int, Result], recorded_by: User) -> int:
    """Record results keyed by enrollment; unchanged ones write nothing and learners not in
    `results` are left as they are. Returns how many learners' results changed."""
    offering = (
        Offering.objects.select_for_update(of=("self",)).select_related("venue").get(pk=offering_id)
    )
    ensure_may_record(offering.pk, recorded_by)
    first_day = offering.days.order_by("date").values_list("date", flat=True).first()
    if first_day is None or first_day > timezone.localdate(timezone=offering.venue.tz):
        raise RosterError(BEFORE_COURSE.format(date=f"{first_day:%-d %B %Y}" if first_day else "-"))
    on_roster = {
        e.pk: e
        for e in Enrollment.objects.filter(
            offering=offering, status__in=Enrollment.SEAT_STATUSES
        ).select_related("learner")
    }
    if unknown := [pk for pk in results if pk not in on_roster]:
        raise RosterError(not_on_roster_message(offering.pk, unknown))
    if any(
        r.written_score is not None and not 0 <= r.written_score <= 100 for r in results.values()
    ):
        raise RosterError(SCORE_RANGE)
    current = {
        pk: Result(r.written_score, r.practical_passed) for pk, r in latest_results(results).items()
    }
    changed = [
        AssessmentResult(
            enrollment_id=pk,
            written_score=result.written_score,
            practical_passed=result.practical_passed,
            recorded_by=recorded_by,
        )  # fmt: skip
        for pk, result in results.items()
        if result != current.get(pk, Result(None, None))
    ]
    AssessmentResult.objects.bulk_create(changed)
    enrollments_refresh_completion(enrollment_ids=on_roster.keys())
    return len(changed)
