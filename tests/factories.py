"""factory_boy factories: users in a role, with a verified email so they can log in."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def catalog_course(code: str = "DN-1", **fields: Any):
    """DN-1 (or another code) as the catalog holds it: 27 hours, $895, every profession."""
    from decimal import Decimal

    from courses.models import Course
    from learners.models import Profession

    if existing := Course.objects.filter(code=code).first():
        return existing
    course = Course(
        code=code,
        title=fields.pop("title", f"Dry Needling {code[-1]}"),
        summary=fields.pop("summary", "Hands-on dry needling."),
        contact_hours=Decimal(27),
        in_person_hours=Decimal(27),
        price_cents=89500,
        **fields,
    )
    course.professions_admitted.set(Profession.objects.all())
    course.save()
    return course


def catalog_venue(city: str = "Richmond", region: str = "VA", tz: str = "America/New_York"):
    from courses.models import Venue

    venue, _ = Venue.objects.get_or_create(
        name=f"{city} Clinical Center",
        defaults={"address": "1 Main St", "city": city, "region": region,
                  "postal_code": "00000", "country": "US", "timezone": tz},
    )  # fmt: skip
    return venue


def catalog_offering(
    *, course=None, venue=None, first_day=None, status="open", capacity=16, instructors=()
):
    """An offering of three 9-hour days (8:00-17:30) through the catalog service."""
    import datetime as dt
    from decimal import Decimal

    from courses.refunds import STANDARD_TIERS
    from courses.schedule import DayPlan
    from courses.services.catalog import offering_create

    course = course or catalog_course()
    venue = venue or catalog_venue()
    first_day = first_day or dt.date(2027, 3, 14)
    starts = dt.datetime.combine(first_day, dt.time(8), tzinfo=venue.tz)
    return offering_create(
        course=course,
        venue=venue,
        capacity=capacity,
        instructors=list(instructors),
        registration_opens_at=starts - dt.timedelta(days=90),
        registration_closes_at=starts - dt.timedelta(days=2),
        days=[
            DayPlan(first_day + dt.timedelta(days=n), dt.time(8), dt.time(17, 30), Decimal(9))
            for n in range(3)
        ],
        status=status,
        tiers=STANDARD_TIERS,
    )
