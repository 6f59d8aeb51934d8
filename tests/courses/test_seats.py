"""What a learner's seat offers on My courses, and the services agreeing with the buttons:
Cancel and Transfer only on a confirmed seat before its offering's first day (in the
venue's calendar), Pay on a live hold, the place in line on the waitlist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrollment, Refund
from courses.seats import ALREADY_STARTED, NOT_PAID_ONLINE
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from courses.services.waitlist import waitlist_join
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]

FIRST_DAY = dt.date(2027, 1, 15)  # Richmond, America/New_York (UTC-5 in January)
FIRST_MORNING = dt.datetime(2027, 1, 15, 5, 30, tzinfo=dt.UTC)  # 00:30 in Richmond
EVENING_BEFORE = dt.datetime(2027, 1, 15, 4, 30, tzinfo=dt.UTC)  # 23:30 on the 14th


@pytest.fixture
def paid():
    offering = catalog_offering(first_day=FIRST_DAY)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED
    return held


@pytest.fixture
def later_date():
    return catalog_offering(venue=catalog_venue("Denver", "CO", "America/Denver"),
                            first_day=dt.date(2027, 2, 10))  # fmt: skip


def _links(html: str, enrollment: Enrollment) -> set[str]:
    return {
        action
        for action in ("cancel", "transfer", "checkout")
        if f'href="/me/enrollments/{enrollment.pk}/{action}/"' in html
    }


def test_it_hides_cancel_and_transfer_once_the_course_has_started_and_refuses_both(
    client, paid, later_date, time_machine
):
    time_machine.move_to(FIRST_MORNING, tick=False)
    client.force_login(paid.learner)

    html = client.get("/me/courses/").content.decode()
    assert _links(html, paid) == set()
    assert "Receipt" in html

    cancelled = client.post(f"/me/enrollments/{paid.pk}/cancel/", follow=True)
    moved = client.post(f"/me/enrollments/{paid.pk}/transfer/",
                        {"offering": later_date.pk}, follow=True)  # fmt: skip

    assert ALREADY_STARTED in cancelled.content.decode()
    assert ALREADY_STARTED in moved.content.decode()
    paid.refresh_from_db()
    assert paid.status == Enrollment.Status.CONFIRMED
    assert not Refund.objects.exists()
    assert not Enrollment.objects.filter(offering=later_date).exists()


def test_the_cancel_and_transfer_pages_say_why_once_the_course_has_started(
    client, paid, later_date, time_machine
):
    time_machine.move_to(FIRST_MORNING, tick=False)
    client.force_login(paid.learner)

    cancel_page = client.get(f"/me/enrollments/{paid.pk}/cancel/").content.decode()
    transfer_page = client.get(f"/me/enrollments/{paid.pk}/transfer/").content.decode()

    assert ALREADY_STARTED in cancel_page and "Cancel my seat" not in cancel_page
    assert ALREADY_STARTED in transfer_page and "Move my seat here" not in transfer_page


def test_the_evening_before_the_first_day_both_are_offered_and_work(
    client, paid, later_date, time_machine
):
    time_machine.move_to(EVENING_BEFORE, tick=False)
    client.force_login(paid.learner)
    assert _links(client.get("/me/courses/").content.decode(), paid) == {"cancel", "transfer"}

    response = client.post(f"/me/enrollments/{paid.pk}/transfer/",
                           {"offering": later_date.pk}, follow=True)  # fmt: skip

    assert "Your seat is now in DN-1 · Denver, CO" in response.content.decode()
    moved = Enrollment.objects.get(offering=later_date)
    html = client.get("/me/courses/").content.decode()
    assert _links(html, moved) == {"cancel", "transfer"}
    assert _links(html, paid) == set()  # the seat it left is cancelled

    response = client.post(f"/me/enrollments/{moved.pk}/cancel/", follow=True)

    assert "Your seat is cancelled." in response.content.decode()
    moved.refresh_from_db()
    assert moved.status in (Enrollment.Status.REFUNDED, Enrollment.Status.CANCELLED)


def test_a_held_seat_shows_pay_and_a_waitlisted_one_its_place(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    offering = catalog_offering(first_day=FIRST_DAY, capacity=1)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    waiting = waitlist_join(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    client.force_login(held.learner)
    html = client.get("/me/courses/").content.decode()
    assert _links(html, held) == {"checkout"} and "Pay now" in html

    client.force_login(waiting.learner)
    html = client.get("/me/courses/").content.decode()
    assert _links(html, waiting) == set()
    assert "Waitlisted" in html and "Number 1 in line" in html


def test_an_expired_hold_reads_as_expired_with_nothing_to_do(client, time_machine):
    offering = catalog_offering(first_day=FIRST_DAY)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    time_machine.move_to(held.hold_expires_at + dt.timedelta(seconds=1), tick=False)
    client.force_login(held.learner)

    html = client.get("/me/courses/").content.decode()

    assert "Hold expired" in html and _links(html, held) == set()


def test_my_courses_costs_the_same_queries_for_one_seat_or_several(
    client, paid, later_date, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(paid.learner)
    client.get("/me/courses/")  # the session's first read and write out of the way
    with CaptureQueriesContext(connection) as one:
        client.get("/me/courses/")
    dn2 = catalog_offering(course=catalog_course("DN-2"), first_day=later_date.dates[0])
    enrollment_hold(learner=paid.learner, offering_id=dn2.pk, now=NOW)  # one seat per course
    client.get("/me/courses/")  # the menu, kept per catalog version, rebuilt after the change

    with CaptureQueriesContext(connection) as two:
        html = client.get("/me/courses/").content.decode()

    assert "Pay now" in html and "Receipt" in html
    assert len(two) == len(one)


def test_a_completed_course_reads_as_done_on_the_dashboard(client, learner):
    done = catalog_offering(first_day=dt.date(2026, 9, 10))
    Enrollment.objects.create(learner=learner, offering=done, status="completed")
    Enrollment.objects.create(learner=learner, offering=catalog_offering(first_day=FIRST_DAY),
                              status="confirmed")  # fmt: skip
    client.force_login(learner)

    html = client.get("/me/").content.decode()

    assert '<span class="badge badge--ok">Completed</span>' in html
    assert '<span class="badge">Confirmed</span>' in html


def test_the_registrars_seat_list_gives_a_hold_its_end_and_a_paid_seat_none(client, registrar):
    offering = catalog_offering(first_day=FIRST_DAY)
    enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    Enrollment.objects.create(learner=licensed_learner(), offering=offering, status="confirmed")
    client.force_login(registrar)

    html = client.get(f"/admin/offerings/{offering.pk}/seats/").content.decode()

    assert html.count(", until ") == 1
    assert "Seat held, until " in html


def test_a_seat_the_registrar_gave_offers_cancel_but_not_transfer(client, later_date, time_machine):
    time_machine.move_to(NOW, tick=False)
    given = Enrollment.objects.create(learner=licensed_learner(), status="confirmed",
                                      offering=catalog_offering(first_day=FIRST_DAY))  # fmt: skip
    client.force_login(given.learner)

    assert _links(client.get("/me/courses/").content.decode(), given) == {"cancel"}
    page = client.get(f"/me/enrollments/{given.pk}/transfer/").content.decode()
    assert NOT_PAID_ONLINE in page and "Move my seat here" not in page
    response = client.post(f"/me/enrollments/{given.pk}/transfer/",
                           {"offering": later_date.pk}, follow=True)  # fmt: skip
    assert NOT_PAID_ONLINE in response.content.decode()
    assert not Enrollment.objects.filter(offering=later_date).exists()
