"""Everything the learner's dashboard shows, read in a fixed number of queries whatever the
size of their ledger: sums and groupings happen in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from accounts.models import User
from certification.engine import Verdict
from certification.learner_facts import learner_facts
from certification.models import Certificate
from certification.programs import certification_program, learners_progress
from certification.progress import ProgramProgress
from certification.self_check import self_check
from courses.models import Enrollment
from courses.selectors import ClassRow, enrollments_for_learner
from courses.services.completion import hours_attended, latest_results

from .chart import MonthBar, monthly_bars
from .ledger import HoursTotals, hours_totals
from .models import HoursEntry, OutsideTraining, RuleChangeNotice

CHART_MONTHS = 12


@dataclass(frozen=True)
class Dashboard:
    totals: HoursTotals
    certification: ProgramProgress | None
    certificates: list[Certificate]
    course_rows: list[ClassRow]
    chart: list[MonthBar]
    next_enrollment: Enrollment | None
    outside_pending: int
    licensed_states: list[Verdict]


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


def licensed_state_verdicts(*, learner: User, today: dt.date) -> list[Verdict]:
    """The learner's standing in each state they hold a license in."""
    return self_check(learner_facts(learner, today=today), as_of=today, licensed_only=True)


def dashboard_for(*, learner: User, today: dt.date) -> Dashboard:
    enrollments = list(enrollments_for_learner(learner=learner))
    seats = [e for e in enrollments if e.status in Enrollment.SEAT_STATUSES]
    attended = hours_attended(seats)
    results = latest_results(e.pk for e in seats)
    upcoming = [
        e
        for e in seats
        if e.status == Enrollment.Status.CONFIRMED and e.offering.dates[-1] >= today
    ]
    program = certification_program()
    return Dashboard(
        totals=hours_totals(learner=learner, as_of=today),
        certification=(
            learners_progress([learner.pk], program, today=today)[learner.pk] if program else None
        ),
        certificates=list(learner.certificates.select_related("program")),
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


def rule_notices_shown(*, learner: User) -> list[RuleChangeNotice]:
    """The learner's notices not dismissed yet: read on every request, apart from the kept
    dashboard, since each carries a form (its CSRF token is per session)."""
    return list(
        RuleChangeNotice.objects.filter(learner=learner, dismissed_at__isnull=True).select_related(
            "change__rule"
        )
    )
