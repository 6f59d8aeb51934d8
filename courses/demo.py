"""Demo catalog for `seed_demo`: DN-1 and DN-2, venues in six states and ten offerings
(two past and recorded, one under way since yesterday, this month, upcoming, one full, one
cancelled, one draft), dated relative to today so the demo always has something coming up.
Idempotent: existing rows are left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from accounts.models import User
from learners.models import Profession

from .models import CEUApproval, Course, Enrollment, Offering, Venue
from .refunds import STANDARD_TIERS
from .schedule import DayPlan
from .services.assessments import Result, assessments_record
from .services.catalog import offering_create
from .services.roster import roster_save

COURSES = {
    "DN-1": (
        "Dry Needling 1: Foundations and the Lower Quarter",
        "Safe, evidence-informed dry needling from the first needle: anatomy and safety, "
        "trigger-point palpation and needling technique for the lumbar spine, hip and lower limb.",
    ),
    "DN-2": (
        "Dry Needling 2: The Upper Quarter and Clinical Integration",
        "Needling technique for the cervical and thoracic spine, shoulder and upper limb, "
        "with clinical reasoning, documentation and informed consent.",
    ),
}
CEU_APPROVALS = {
    "DN-1": [("Demo Physical Therapy Board", "VA", "DEMO-VA-2026-0114", "27")],
    "DN-2": [("Demo Physical Therapy Board", "VA", "DEMO-VA-2026-0115", "27")],
}
VENUES = [
    # name, address, city, region, postal code, timezone
    ("Riverside Clinical Education Center", "1200 E Cary St", "Richmond", "VA", "23219",
     "America/New_York"),
    ("Front Range Rehab Institute", "1550 Larimer St", "Denver", "CO", "80202", "America/Denver"),
    ("Lone Star Movement Lab", "300 Congress Ave", "Austin", "TX", "78701", "America/Chicago"),
    ("Desert Sports Medicine Center", "2 N Central Ave", "Phoenix", "AZ", "85004",
     "America/Phoenix"),
    ("Puget Sound Therapy Hub", "1301 5th Ave", "Seattle", "WA", "98101", "America/Los_Angeles"),
    ("Triangle Clinical Skills Center", "150 Fayetteville St", "Raleigh", "NC", "27601",
     "America/New_York"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoOffering:
    course: str
    city: str
    months_from_now: int
    day_of_month: int
    status: str
    capacity: int = 16
    days_from_now: int | None = None  # instead of a month and day: a class under way now


OFFERINGS = [
    DemoOffering("DN-1", "Richmond", -2, 11, Offering.Status.COMPLETED),
    DemoOffering("DN-2", "Denver", -1, 9, Offering.Status.COMPLETED),
    DemoOffering("DN-1", "Austin", 0, 27, Offering.Status.OPEN),
    DemoOffering("DN-1", "Phoenix", 1, 15, Offering.Status.OPEN, capacity=3),  # the full one
    DemoOffering("DN-2", "Seattle", 2, 5, Offering.Status.OPEN),
    DemoOffering("DN-2", "Richmond", 4, 14, Offering.Status.OPEN),
    DemoOffering("DN-1", "Raleigh", 3, 26, Offering.Status.OPEN),
    DemoOffering("DN-1", "Denver", 4, 16, Offering.Status.CANCELLED),
    DemoOffering("DN-2", "Austin", 5, 21, Offering.Status.DRAFT),
    DemoOffering("DN-1", "Raleigh", 0, 0, Offering.Status.CLOSED, days_from_now=-1),
]
FULL_OFFERING_LEARNERS = ["sam.lee@example.com", "priya.nair@example.com", "tom.berg@example.com"]
# Past classes recorded in full, through the instructors' own services: (offering index,
# learners, their written scores; everyone passed the practical).
CLASS_RECORDS = [
    (0, ["maya.cruz@example.com", "noah.kim@example.com", "ana.reyes@example.com"], [88, 91, 86]),
    (1, ["maya.cruz@example.com", "noah.kim@example.com"], [85, 83]),
]
# The class under way (started yesterday): the demo instructor records it.
IN_PROGRESS_LEARNERS = ["learner@example.com", "tom.berg@example.com"]
DAY_START, DAY_END, DAY_HOURS = dt.time(8, 0), dt.time(17, 30), Decimal(9)  # 30 min lunch


def demo_catalog_seed(*, today: dt.date) -> list[Offering]:
    courses = {code: _course_ensure(code) for code in COURSES}
    venues = {row[2]: _venue_ensure(*row) for row in VENUES}
    # In the order the demo accounts are made: instructor@ teaches DN-1, instructor2@ DN-2.
    instructors = list(User.objects.filter(groups__name="Instructor").order_by("pk"))
    offerings = [_offering_ensure(spec, courses, venues, instructors, today) for spec in OFFERINGS]
    _fill(offerings[3], FULL_OFFERING_LEARNERS)
    for offering, emails, results in CLASS_RECORDS:
        _class_record(offerings[offering], emails, results)
    _fill(offerings[9], IN_PROGRESS_LEARNERS)
    return offerings


def _course_ensure(code: str) -> Course:
    course = Course.objects.filter(code=code).first()
    if course:
        return course
    title, summary = COURSES[code]
    course = Course(
        code=code, title=title, summary=summary, contact_hours=Decimal(27),
        in_person_hours=Decimal(27), price_cents=89500, currency="usd",
    )  # fmt: skip
    course.full_clean()
    course.professions_admitted.set(Profession.objects.all())
    course.save()
    for body, jurisdiction, number, hours in CEU_APPROVALS[code]:
        CEUApproval.objects.create(
            course=course, approving_body=body, jurisdiction=jurisdiction,
            approval_number=number, hours=Decimal(hours),
        )  # fmt: skip
    return course


def _venue_ensure(name: str, address: str, city: str, region: str, postal: str, tz: str) -> Venue:
    venue, _ = Venue.objects.get_or_create(
        name=name,
        defaults={"address": address, "city": city, "region": region, "postal_code": postal,
                  "country": "US", "timezone": tz},
    )  # fmt: skip
    return venue


def _offering_ensure(
    spec: DemoOffering,
    courses: dict[str, Course],
    venues: dict[str, Venue],
    instructors: list[User],
    today: dt.date,
) -> Offering:
    course, venue = courses[spec.course], venues[spec.city]
    if spec.days_from_now is not None:
        first = today + dt.timedelta(days=spec.days_from_now)
    else:
        first = (today + relativedelta(months=spec.months_from_now)).replace(day=spec.day_of_month)
    existing = Offering.objects.filter(course=course, venue=venue, days__date=first).first()
    if existing:
        return existing
    tz = venue.tz
    first_start = dt.datetime.combine(first, DAY_START, tzinfo=tz)
    return offering_create(
        course=course,
        venue=venue,
        capacity=spec.capacity,
        instructors=instructors[:1] if spec.course == "DN-1" else instructors[-1:],
        registration_opens_at=first_start - dt.timedelta(days=120),
        registration_closes_at=first_start - dt.timedelta(days=2),
        days=[
            DayPlan(first + dt.timedelta(days=n), DAY_START, DAY_END, DAY_HOURS) for n in range(3)
        ],
        status=spec.status,
        tiers=STANDARD_TIERS,
    )


def _fill(offering: Offering, emails: list[str]) -> None:
    """Confirmed seats for the demo's full offering. (Paid enrollment arrives with the
    enrollment work; these stand for seats registrars confirmed.)"""
    for learner in User.objects.filter(email__in=emails):
        Enrollment.objects.get_or_create(
            learner=learner, offering=offering,
            defaults={"status": Enrollment.Status.CONFIRMED},
        )  # fmt: skip


def _class_record(offering: Offering, emails: list[str], scores: list[int]) -> None:
    """Seats, every day attended and signed off, and passed assessments: the learners
    complete the course exactly as they would after a real class."""
    _fill(offering, emails)
    instructor = offering.instructors.first()
    seats = {e.learner.email: e for e in offering.enrollments.select_related("learner")}
    for day in offering.days.filter(sign_off__isnull=True):
        hours = {seat.pk: day.scheduled_hours for seat in seats.values()}
        roster_save(day_id=day.pk, hours=hours, recorded_by=instructor, sign_off=True)
    assessments_record(
        offering_id=offering.pk, recorded_by=instructor,
        results={
            seats[email].pk: Result(score, practical_passed=True)
            for email, score in zip(emails, scores, strict=True)
        },
    )  # fmt: skip
