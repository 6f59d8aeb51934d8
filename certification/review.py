"""When the rules on file were last checked against their sources (DESIGN.md 2: each rule
keeps its last-reviewed date): a rule not reviewed within 12 months is due for review."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import F, Q, QuerySet

from .models import JurisdictionRule

REVIEW_MONTHS = 12


def review_due_before(today: dt.date) -> dt.date:
    """A rule last reviewed before this date is due: reviewed on this very day 12 months ago
    is still within 12 months."""
    return today - relativedelta(months=REVIEW_MONTHS)


def rule_is_due_for_review(last_reviewed: dt.date | None, *, today: dt.date) -> bool:
    return last_reviewed is None or last_reviewed < review_due_before(today)


def rules_due_for_review(*, today: dt.date) -> QuerySet[JurisdictionRule]:
    """Rules never reviewed, then the longest unreviewed first."""
    return (
        JurisdictionRule.objects.filter(
            Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=review_due_before(today))
        )
        .select_related("profession")
        .order_by(F("last_reviewed").asc(nulls_first=True), "jurisdiction", "profession__code")
    )
