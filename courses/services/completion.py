"""Keeping enrollments' completion in step with their hours and assessments (DESIGN.md 3.4):
called whenever either changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Sum

from learners.models import HoursEntry

from ..models import AssessmentResult, CourseDay, Enrollment
from ..roster import CompletionFacts, Outcome, completion_outcome

STATUS_FOR_OUTCOME = {
    Outcome.COMPLETED: Enrollment.Status.COMPLETED,
    Outcome.INCOMPLETE: Enrollment.Status.INCOMPLETE,
    Outcome.IN_PROGRESS: Enrollment.Status.CONFIRMED,
}


def latest_results(enrollment_ids: Iterable[int]) -> dict[int, AssessmentResult]:
    """Each enrollment's current assessment result (its latest recording), in one query."""
    latest: dict[int, AssessmentResult] = {}
    for result in AssessmentResult.objects.filter(enrollment_id__in=list(enrollment_ids)):
        latest.setdefault(result.enrollment_id, result)  # ordered newest first
    return latest


class SeatKeys(Protocol):
    """What `hours_attended` reads of an enrollment (a model, or a row of its values)."""

    pk: int
    learner_id: int
    offering_id: int


def hours_attended(enrollments: Sequence[SeatKeys]) -> dict[int, Decimal]:
    """Ledger hours (corrections included) on the enrollments' offerings' days, by enrollment."""
    rows = (
        HoursEntry.objects.filter(
            learner_id__in={e.learner_id for e in enrollments},
            course_day__offering_id__in={e.offering_id for e in enrollments},
        )
        .values("learner_id", "course_day__offering_id")
        .annotate(hours=Sum("hours"))
    )
    by_pair = {(r["learner_id"], r["course_day__offering_id"]): r["hours"] for r in rows}
    return {e.pk: by_pair.get((e.learner_id, e.offering_id), Decimal(0)) for e in enrollments}


def offerings_signed_off(offering_ids: set[int]) -> set[int]:
    """Those of the offerings whose every day is signed off."""
    rows = (
        CourseDay.objects.filter(offering_id__in=offering_ids)
        .values("offering_id")
        .annotate(days=Count("pk"), signed_off=Count("sign_off"))
    )
    return {r["offering_id"] for r in rows if r["days"] == r["signed_off"]}


def enrollments_refresh_completion(*, enrollment_ids: Iterable[int]) -> list[Enrollment]:
    """Move each seat to completed, incomplete or back to confirmed as its facts now say;
    returns the enrollments whose status changed."""
    enrollments = list(
        Enrollment.objects.select_for_update(of=("self",))
        .filter(pk__in=list(enrollment_ids), status__in=Enrollment.SEAT_STATUSES)
        .select_related("offering__course")
    )
    attended = hours_attended(enrollments)
    all_signed_off = offerings_signed_off({e.offering_id for e in enrollments})
    results = latest_results(e.pk for e in enrollments)
    changed = []
    for enrollment in enrollments:
        result = results.get(enrollment.pk)
        course = enrollment.offering.course
        outcome = completion_outcome(
            CompletionFacts(
                hours_attended=attended[enrollment.pk],
                contact_hours=course.contact_hours,
                written_score=result.written_score if result else None,
                practical_passed=result.practical_passed if result else None,
                pass_mark=course.pass_mark,
                all_days_signed_off=enrollment.offering_id in all_signed_off,
            )
        )
        status = STATUS_FOR_OUTCOME[outcome]
        if enrollment.status != status:
            enrollment.status = status
            enrollment.save(update_fields=["status"])
            changed.append(enrollment)
    return changed
