"""The public offerings list and offering page, the calendar file, and their query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from courses.exceptions import CatalogError
from courses.models import Enrollment, Offering
from tests.factories import (
    UserFactory,
    catalog_course,
    catalog_offering,
    catalog_venue,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _take_seats(offering: Offering, n: int, status=Enrollment.Status.CONFIRMED, **fields) -> None:
    for _ in range(n):
        Enrollment.objects.create(learner=UserFactory(), offering=offering, status=status, **fields)


@pytest.fixture
def two_courses():
    return catalog_course("DN-1"), catalog_course("DN-2")


def test_the_list_shows_upcoming_offerings_with_seats_left(client, two_courses):
    dn1, _ = two_courses
    offering = catalog_offering(course=dn1, capacity=5, first_day=dt.date(2027, 1, 15))
    _take_seats(offering, 2)

    html = client.get("/offerings/").content.decode()

    assert "DN-1: Dry Needling 1" in html
    assert "3 seats left" in html
    assert "15 Jan – 17 Jan 2027" in html


def test_seats_left_counts_live_holds_but_not_expired_ones(client):
    offering = catalog_offering(capacity=3, first_day=dt.date(2027, 1, 15))  # registration open
    _take_seats(offering, 1, Enrollment.Status.HELD,
                hold_expires_at=dt.datetime(2026, 11, 23, 12, 10, tzinfo=dt.UTC))  # fmt: skip
    _take_seats(offering, 1, Enrollment.Status.HELD,
                hold_expires_at=dt.datetime(2026, 11, 23, 11, 50, tzinfo=dt.UTC))  # fmt: skip
    _take_seats(offering, 1, Enrollment.Status.CANCELLED)

    assert "2 seats left" in client.get(f"/offerings/{offering.pk}/").content.decode()


def test_a_full_offering_says_full_and_one_seat_reads_singular(client):
    full = catalog_offering(capacity=2, first_day=dt.date(2027, 1, 10))
    _take_seats(full, 2)
    nearly = catalog_offering(capacity=2, first_day=dt.date(2027, 2, 10))
    _take_seats(nearly, 1)

    html = client.get("/offerings/").content.decode()

    assert ">Full<" in html
    assert "1 seat left" in html


def test_drafts_are_hidden_and_past_offerings_leave_the_default_list(client):
    draft = catalog_offering(status="draft", first_day=dt.date(2027, 1, 10))
    past = catalog_offering(status="completed", first_day=dt.date(2026, 10, 5))

    html = client.get("/offerings/").content.decode()

    assert f"/offerings/{draft.pk}/" not in html
    assert f"/offerings/{past.pk}/" not in html
    assert client.get(f"/offerings/{draft.pk}/").status_code == 404
    assert client.get(f"/offerings/{draft.pk}/calendar.ics").status_code == 404


def test_it_filters_by_course_state_and_month(client, two_courses):
    dn1, dn2 = two_courses
    colorado = catalog_venue("Denver", "CO", "America/Denver")
    a = catalog_offering(course=dn1, first_day=dt.date(2027, 1, 15))
    b = catalog_offering(course=dn2, first_day=dt.date(2027, 1, 20), venue=colorado)
    c = catalog_offering(course=dn2, first_day=dt.date(2027, 3, 14))

    def shown(query: str) -> set[int]:
        html = client.get(f"/offerings/?{query}").content.decode()
        return {o.pk for o in (a, b, c) if f"/offerings/{o.pk}/" in html}

    assert shown("course=DN-2") == {b.pk, c.pk}
    assert shown("state=CO") == {b.pk}
    assert shown("month=2027-01") == {a.pk, b.pk}
    assert shown("course=DN-2&month=2027-03") == {c.pk}


def test_a_bad_month_gets_a_message(client):
    response = client.get("/offerings/?month=March")

    assert "Enter a month as YYYY-MM, e.g. 2027-03." in response.content.decode()


def test_the_offering_page_shows_days_in_the_venues_timezone_venue_and_instructors(
    client, instructor
):
    venue = catalog_venue("Phoenix", "AZ", "America/Phoenix")
    offering = catalog_offering(
        venue=venue, instructors=[instructor], first_day=dt.date(2027, 1, 15)
    )

    html = client.get(f"/offerings/{offering.pk}/").content.decode()

    assert "Friday 15 January 2027" in html
    assert "8:00 AM – 5:30 PM" in html
    assert "Times are local to the venue (America/Phoenix)." in html
    assert "Registration closes 13 January 2027, 8:00 AM MST." in html
    assert "1 Main St" in html and "openstreetmap.org/search?query=" in html
    assert instructor.get_full_name() in html
    assert "$895" in html
    assert "100% back when you cancel at least 28 days before the first day" in html


def test_the_calendar_has_one_event_per_day_with_the_venues_tzid(client):
    venue = catalog_venue("Denver", "CO", "America/Denver")
    offering = catalog_offering(venue=venue, first_day=dt.date(2027, 3, 13))

    response = client.get(f"/offerings/{offering.pk}/calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'attachment; filename="DN-1-2027-03-13.ics"' == response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == [
        dt.date(2027, 3, 13), dt.date(2027, 3, 14), dt.date(2027, 3, 15)
    ]  # fmt: skip
    assert {e["dtstart"].params["TZID"] for e in events} == {"America/Denver"}
    # Across the daylight-saving change the local times stay 8:00-17:30.
    assert [e.decoded("dtstart").strftime("%H:%M %Z") for e in events] == [
        "08:00 MST", "08:00 MDT", "08:00 MDT"
    ]  # fmt: skip
    assert all(e.decoded("dtend").strftime("%H:%M") == "17:30" for e in events)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Denver"]


@pytest.mark.parametrize("count", [5, 200])
def test_list_and_home_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    course, venue = catalog_course(), catalog_venue()
    for n in range(count):
        first_day = dt.date(2027, 1, 1) + dt.timedelta(days=4 * n)
        offering = catalog_offering(course=course, venue=venue, first_day=first_day)
        _take_seats(offering, 1)
    client.get("/")  # warm Wagtail's site cache

    # filter form's states and courses, the site (navigation), offerings, their days
    with django_assert_max_num_queries(5):
        assert client.get("/offerings/").status_code == 200
    # site, page, ancestors, view restrictions, upcoming offerings, their days and instructors
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_the_catalog_service_saves_nothing_when_a_rule_fails(db):
    course, venue = catalog_course(), catalog_venue()

    with pytest.raises(CatalogError, match="Capacity must be at least 1."):
        catalog_offering(course=course, venue=venue, capacity=0)

    assert not Offering.objects.exists()


def test_registration_follows_the_dates_on_the_list_and_the_offering_page(client, learner):
    # All three say "open" in their status; only the dates tell them apart.
    past = catalog_offering(first_day=dt.date(2026, 11, 2))
    under_way = catalog_offering(first_day=dt.date(2026, 11, 22),
                                 venue=catalog_venue("Denver", "CO", "America/Denver"))  # fmt: skip
    Offering.objects.filter(pk=under_way.pk).update(registration_closes_at=NOW + dt.timedelta(1))
    upcoming = catalog_offering(first_day=dt.date(2027, 1, 15),
                                venue=catalog_venue("Austin", "TX", "America/Chicago"))  # fmt: skip
    client.force_login(learner)

    for offering, label in ((past, "Finished"), (under_way, "Under way")):
        html = client.get(f"/offerings/{offering.pk}/").content.decode()
        assert f">{label}</p>" in html
        assert "seats left" not in html and "Enroll and pay" not in html
        assert "Before you can enroll" not in html
    assert ">16 seats left</p>" in client.get(f"/offerings/{upcoming.pk}/").content.decode()
    listing = client.get("/offerings/").content.decode()
    assert listing.count("seats left</span>") == 1 and "Under way</span>" in listing


def test_the_home_pages_upcoming_courses_leave_out_a_class_under_way(client):
    catalog_offering(first_day=dt.date(2026, 11, 22))
    catalog_offering(first_day=dt.date(2027, 1, 15),
                     venue=catalog_venue("Austin", "TX", "America/Chicago"))  # fmt: skip

    html = client.get("/").content.decode()

    assert "Austin" in html
    assert "Richmond" not in html


def test_the_nav_and_footer_give_the_calculator_one_name(client):
    html = client.get("/").content.decode()

    assert html.count('<a href="/calculator/">State rules</a>') == 2
    assert "State calculator" not in html
