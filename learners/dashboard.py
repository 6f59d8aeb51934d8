"""Everything the learner's dashboard shows, read in a fixed number of queries whatever the
size of their ledger: sums and groupings happen in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from accounts.models import User
from certification.engine import Verdict
from certification.learner_facts import learner_facts
from certification.progress import CERTIFICATION, ProgramProgress, program_progress
from certification.self_check import self_check
from certification.windows import Hours
from courses.models import Enrollment
from courses.selectors import ClassRow, enrollments_for_learner
from courses.services.completion import hours_attended, latest_results

from .chart import MonthBar, monthly_bars
from .ledger import HoursTotals, hours_totals
from .models import HoursEntry, License, OutsideTraining

CHART_MONTHS = 12


@dataclass(frozen=True)
class Dashboard:
    totals: HoursTotals
    certification: ProgramProgress
    course_rows: list[ClassRow]
    chart: list[MonthBar]
    next_enrollment: Enrollment | None
    outside_pending: int
    licensed_states: list[Verdict]


def program_hours(*, learner: User, as_of: dt.date, courses: tuple[str, ...]) -> list[Hours]:
    rows = (
        HoursEntry.objects.filter(
            learner=learner, date__lte=as_of, course_day__offering__course__code__in=courses
        )
        .values("date")
        .annotate(
            total=Sum("hours"),
            in_person=Sum("hours", filter=Q(mode=HoursEntry.Mode.IN_PERSON), default=0),
        )
        .order_by("date")
    )
    return [Hours(r["date"], r["total"], r["in_person"]) for r in rows]


def hours_by_month(*, learner: User, today: dt.date) -> dict[tuple[dt.date, str], Decimal]:
    since = today.replace(day=1) - relativedelta(months=CHART_MONTHS - 1)
    rows = (
        HoursEntry.objects.filter(learner=learner, date__gte=since, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month", "mode")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {(r["month"], r["mode"]): r["hours"] for r in rows}


def has_verified_license(*, learner: User, today: dt.date) -> bool:
    """A verified, unexpired license in a profession DN-1 and DN-2 admit."""
    return License.objects.filter(
        learner=learner,
        status=License.Status.VERIFIED,
        expires_on__gte=today,
        profession__courses__code__in=CERTIFICATION.courses,
    ).exists()


def licensed_state_verdicts(*, learner: User, today: dt.date) -> list[Verdict]:
    """The learner's standing in each state they hold a license in."""
    facts = learner_facts(learner)
    return [v for v in self_check(facts, as_of=today) if v.rule.jurisdiction in facts.licenses]


def dashboard_for(*, learner: User, today: dt.date) -> Dashboard:
    enrollments = list(enrollments_for_learner(learner=learner))
    seats = [e for e in enrollments if e.status in Enrollment.SEAT_STATUSES]
    attended = hours_attended(seats)
    results = latest_results(e.pk for e in seats)
    completed = {e.offering.course.code for e in seats if e.status == Enrollment.Status.COMPLETED}
    upcoming = [
        e
        for e in seats
        if e.status == Enrollment.Status.CONFIRMED and e.offering.dates[-1] >= today
    ]
    return Dashboard(
        totals=hours_totals(learner=learner, as_of=today),
        certification=program_progress(
            CERTIFICATION,
            course_hours=program_hours(learner=learner, as_of=today, courses=CERTIFICATION.courses),
            completed_courses=completed,
            license_verified=has_verified_license(learner=learner, today=today),
        ),
        course_rows=[
            ClassRow(e, e.offering.course.code, attended[e.pk], results.get(e.pk)) for e in seats
        ],
        chart=monthly_bars(hours_by_month(learner=learner, today=today), today=today),
        next_enrollment=min(upcoming, key=lambda e: e.offering.dates[0], default=None),
        outside_pending=OutsideTraining.objects.filter(
            learner=learner, status=OutsideTraining.Status.SUBMITTED
        ).count(),
        licensed_states=licensed_state_verdicts(learner=learner, today=today),
    )
