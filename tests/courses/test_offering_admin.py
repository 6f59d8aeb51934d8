"""Registrars manage offerings in the Wagtail admin; bad input is refused with its message
and nothing is saved; instructors and learners are kept out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import Course, Enrollment, Offering, Venue
from tests.factories import UserFactory, catalog_course, catalog_offering, catalog_venue

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/courses/offering/add/"


def _edit_url(offering: Offering) -> str:
    return f"/admin/snippets/courses/offering/edit/{offering.pk}/"


def _day(date: str, start="08:00", end="17:30", hours="9", pk=None) -> dict:
    row = {"date": date, "start_time": start, "end_time": end, "scheduled_hours": hours}
    return row | ({"id": pk} if pk else {})


def _form(course, venue, instructors, *, days=None, initial_days=0, **fields) -> dict:
    days = days if days is not None else [
        _day("2027-03-14"), _day("2027-03-15"), _day("2027-03-16")
    ]  # fmt: skip
    data = {
        "course": course.pk,
        "venue": venue.pk,
        "status": "open",
        "capacity": "16",
        "registration_opens_at": "2026-12-01 09:00",
        "registration_closes_at": "2027-03-12 17:00",
        "hours_reason": "",
        "days": inline_formset(days, initial=initial_days),
        "refund_tiers": inline_formset([]),
    } | fields
    # A multiple choice goes in as a list (nested_form_data would flatten it).
    return nested_form_data(data) | {"instructors": [user.pk for user in instructors]}


@pytest.fixture
def catalog(instructor):
    return catalog_course("DN-2"), catalog_venue(), instructor


def test_a_registrar_creates_an_offering_with_its_days(client, registrar, catalog):
    client.force_login(registrar)
    course, venue, instructor = catalog

    response = client.post(ADD_URL, _form(course, venue, [instructor]))

    assert response.status_code == 302
    offering = Offering.objects.get()
    assert [d.date for d in offering.days.order_by("date")] == [
        dt.date(2027, 3, 14), dt.date(2027, 3, 15), dt.date(2027, 3, 16)
    ]  # fmt: skip
    assert list(offering.instructors.all()) == [instructor]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "Capacity must be at least 1."),
        (
            {"registration_closes_at": "2027-03-14 09:00"},
            "Registration must close before the first day starts (14 March 2027 08:00).",
        ),
        (
            {"days": inline_formset([_day("2027-03-14", start="09:00", end="08:00"),
                                     _day("2027-03-15"), _day("2027-03-16")])},
            "14 March 2027: the day must end after it starts.",
        ),
        (
            {"days": inline_formset([_day("2027-03-14"), _day("2027-03-14"), _day("2027-03-16")])},
            "Please correct the duplicate data for offering and date, which must be unique.",
        ),
        (
            {"days": inline_formset([_day("2027-03-14"), _day("2027-03-15")])},
            "The days add up to 18 hours but DN-2 has 27 contact hours.",
        ),
        (
            {"refund_tiers": inline_formset([{"days_before_start": "28", "percent": "50"},
                                             {"days_before_start": "14", "percent": "100"}])},
            "Refund tiers must give back less the closer to the start",
        ),
    ],
)  # fmt: skip
def test_it_refuses_bad_offerings_with_a_clear_message(
    client, registrar, catalog, changes, message
):
    client.force_login(registrar)
    course, venue, instructor = catalog
    data = _form(course, venue, [instructor])
    data.update(nested_form_data(changes))

    response = client.post(ADD_URL, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Offering.objects.exists()


def test_only_instructors_can_be_chosen_to_teach(client, registrar, catalog, learner):
    client.force_login(registrar)
    course, venue, _ = catalog

    response = client.post(ADD_URL, _form(course, venue, [learner]))

    assert "is not one of the available choices" in response.content.decode()
    assert not Offering.objects.exists()


def _edit_form(offering: Offering, **changes) -> dict:
    days = [_day(f"{d.date:%Y-%m-%d}", pk=d.pk) for d in offering.days.order_by("date")]
    data = _form(offering.course, offering.venue, list(offering.instructors.all()),
                 days=days, initial_days=len(days))  # fmt: skip
    data.update(nested_form_data(changes))
    return data


def test_an_open_offering_cannot_lose_a_day(client, registrar, instructor):
    offering = catalog_offering(instructors=[instructor])
    client.force_login(registrar)
    data = _edit_form(offering)
    data["days-2-DELETE"] = "1"
    data["hours_reason"] = "Shortened"

    response = client.post(_edit_url(offering), data)

    assert (
        "This offering is open, so its days cannot be removed or moved" in response.content.decode()
    )
    assert offering.days.count() == 3


def test_an_offering_cannot_shrink_below_its_confirmed_seats(client, registrar, instructor):
    offering = catalog_offering(instructors=[instructor], capacity=3)
    for _ in range(3):
        Enrollment.objects.create(
            learner=UserFactory(), offering=offering, status=Enrollment.Status.CONFIRMED
        )
    client.force_login(registrar)

    response = client.post(_edit_url(offering), _edit_form(offering, capacity="2"))

    assert "Capacity cannot go below the 3 seats already confirmed." in response.content.decode()
    offering.refresh_from_db()
    assert offering.capacity == 3


def test_raising_the_capacity_offers_the_new_seat_to_the_waitlist(
    client, registrar, instructor, mailoutbox, django_capture_on_commit_callbacks
):
    offering = catalog_offering(instructors=[instructor], capacity=1)
    Enrollment.objects.create(learner=UserFactory(), offering=offering, status="confirmed")
    first, second = (
        Enrollment.objects.create(learner=UserFactory(), offering=offering, status="waitlisted")
        for _ in range(2)
    )
    client.force_login(registrar)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(offering), _edit_form(offering, capacity="2"))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("offered", "waitlisted")
    assert mailoutbox[-1].to == [first.learner.email]
    assert mailoutbox[-1].subject.startswith("[DN Tracker] A seat is yours to take")


def test_a_registrars_edit_shows_on_the_public_page(client, registrar, instructor):
    offering = catalog_offering(instructors=[instructor], capacity=16)
    client.force_login(registrar)

    response = client.post(_edit_url(offering), _edit_form(offering, capacity="20"))

    assert response.status_code == 302
    # Seats are counted once registration is open (the factory opens it 90 days before).
    Offering.objects.filter(pk=offering.pk).update(
        registration_opens_at=timezone.now() - dt.timedelta(days=1)
    )
    assert "20 seats left" in client.get(f"/offerings/{offering.pk}/").content.decode()


def test_the_offerings_listing_filters_and_searches(client, registrar, instructor):
    catalog_offering(instructors=[instructor])
    client.force_login(registrar)

    listing = client.get("/admin/snippets/courses/offering/?status=open&q=Richmond")

    assert listing.status_code == 200
    assert "DN-1 · Richmond, VA · 14 Mar 2027" in listing.content.decode()


@pytest.mark.parametrize("persona", ["learner", "instructor"])
@pytest.mark.parametrize(
    "path", [ADD_URL, "/admin/snippets/courses/course/", "/admin/snippets/courses/venue/add/"]
)
def test_learners_and_instructors_cannot_manage_the_catalog(client, request, persona, path):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(path)

    assert response.status_code in (302, 403)
    assert not (response.status_code == 302 and response["Location"].startswith("/admin/snippets"))


def test_a_registrar_creates_a_course_with_ceu_approvals(client, registrar):
    from learners.models import Profession

    client.force_login(registrar)
    data = nested_form_data({
        "code": "DN-3", "title": "Dry Needling 3", "summary": "Advanced.",
        "contact_hours": "16", "in_person_hours": "16", "price_cents": "65000",
        "currency": "usd", "pass_mark": "75",
        "ceu_approvals": inline_formset([{"approving_body": "Demo Board", "jurisdiction": "VA",
                                          "approval_number": "VA-9", "hours": "16"}]),
    }) | {"professions_admitted": [Profession.objects.get(code="PT").pk]}  # fmt: skip

    response = client.post("/admin/snippets/courses/course/add/", data)

    assert response.status_code == 302
    course = Course.objects.get(code="DN-3")
    assert [a.approval_number for a in course.ceu_approvals.all()] == ["VA-9"]


def test_a_course_cannot_have_more_in_person_than_contact_hours(client, registrar):
    client.force_login(registrar)
    data = nested_form_data({
        "code": "DN-3", "title": "Dry Needling 3", "summary": "Advanced.",
        "contact_hours": "16", "in_person_hours": "20", "price_cents": "65000",
        "currency": "usd", "ceu_approvals": inline_formset([]),
    })  # fmt: skip

    response = client.post("/admin/snippets/courses/course/add/", data)

    assert "In-person hours cannot exceed the contact hours." in response.content.decode()
    assert not Course.objects.filter(code="DN-3").exists()


@pytest.mark.parametrize(
    ("timezone", "saved"), [("America/Chicago", True), ("Mars/Olympus_Mons", False)]
)
def test_a_venue_needs_a_real_timezone(client, registrar, timezone, saved):
    client.force_login(registrar)
    data = {"name": "Hall", "address": "1 Main St", "city": "Austin", "region": "TX",
            "postal_code": "78701", "country": "US", "timezone": timezone}  # fmt: skip

    response = client.post("/admin/snippets/courses/venue/add/", data)

    assert Venue.objects.filter(name="Hall").exists() is saved
    if not saved:
        assert "Mars/Olympus_Mons" in response.content.decode()
