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


def dn2_to_attend(client, learner, instructor, *, passed: bool = True) -> Enrollment:
    """DN-1 completed, a verified license, and a DN-2 seat (20-22 November 2026, days past)
    whose assessments the instructor records on the teaching page (`client` is left signed in
    as the instructor): only DN-2's 27 hours stand between the learner and the certificate."""
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    pt_license(learner)
    offering = catalog_offering(
        course=catalog_course("DN-2"), first_day=dt.date(2026, 11, 20),
        venue=catalog_venue("Denver"), status="closed", instructors=[instructor],
    )  # fmt: skip
    seat = Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    client.force_login(instructor)
    client.post(f"/teach/offerings/{offering.pk}/", {
        f"written_{seat.pk}": "90" if passed else "", f"practical_{seat.pk}": "pass",
    })  # fmt: skip
    return seat


def rules_file_changed(folder, jurisdiction: str, profession: str, **changes):
    """A copy of the researched rules file, in `folder`, with one row's fields changed."""
    import json

    from certification.rules import RULES_FILE

    data = json.loads(RULES_FILE.read_text())
    row = next(
        r
        for r in data["rules"]
        if r["jurisdiction"] == jurisdiction and r["profession"] == profession
    )
    row.update(changes)
    changed = folder / "rules.json"
    changed.write_text(json.dumps(data))
    return changed


def roster_day_post(client, seat: Enrollment, n: int, mark="present", hours="", **extra):
    """The instructor's roster for the seat's `n`th day, posted with the learner's mark."""
    day = seat.offering.days.order_by("date")[n]
    return client.post(
        f"/teach/offerings/{seat.offering_id}/days/{day.pk}/",
        {f"mark_{seat.pk}": mark, f"hours_{seat.pk}": hours, **extra},
    )
