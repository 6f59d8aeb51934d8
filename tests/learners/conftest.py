"""Fixtures for the learner's pages and records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courses.models import Enrollment
from learners.ledger import hours_entry_record
from learners.models import LearnerProfile
from tests.factories import catalog_offering

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def class_days(learner, instructor):
    """Learner (legal name Jordan Avery Lee) attended DN-1 (20-22 Nov 2026) in full, with a
    seat in it: three 9-hour entries."""
    LearnerProfile.objects.create(user=learner, legal_name="Jordan Avery Lee")
    offering = catalog_offering(
        first_day=dt.date(2026, 11, 20), instructors=[instructor], status="closed"
    )
    Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    return [
        hours_entry_record(learner=learner, date=day.date, hours=Decimal(9), mode="in_person",
                           source="course_day", recorded_by=instructor, today=TODAY,
                           course_day_id=day.pk)
        for day in offering.days.order_by("date")
    ]  # fmt: skip
