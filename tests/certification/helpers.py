"""Building learners at each stage of the certification, through the real models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from courses.models import Enrollment
from learners.ledger import hours_entry_record
from learners.models import LearnerProfile, License, Profession
from tests.factories import catalog_course, catalog_offering, catalog_venue

TODAY = dt.date(2026, 11, 23)


def course_completed(learner, instructor, code: str, first_day: dt.date, *, city: str = "Richmond"):
    """An enrollment in `code` starting `first_day`, 27 hours on the ledger, completed."""
    offering = catalog_offering(
        course=catalog_course(code), first_day=first_day, venue=catalog_venue(city),
        status="closed", instructors=[instructor],
    )  # fmt: skip
    enrollment = Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    for day in offering.days.all():
        hours_entry_record(learner=learner, date=day.date, hours=Decimal(9), mode="in_person",
                           source="course_day", recorded_by=instructor, today=TODAY,
                           course_day_id=day.pk)  # fmt: skip
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.save(update_fields=["status"])
    return enrollment


def pt_license(learner, *, status="verified", expires=dt.date(2028, 6, 30)) -> License:
    pt = Profession.objects.get(code="PT")
    LearnerProfile.objects.get_or_create(
        user=learner, defaults={"legal_name": "Jordan Avery Lee", "profession": pt}
    )
    return License.objects.create(
        learner=learner, profession=pt, jurisdiction="VA", number=f"0101-{learner.pk}",
        issued_on=dt.date(2019, 5, 1), expires_on=expires, status=status,
    )  # fmt: skip
