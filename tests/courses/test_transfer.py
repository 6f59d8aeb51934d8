"""Moving a paid seat to another date of the same course without paying again."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.exceptions import EnrollmentError
from courses.models import Enrollment, Payment
from courses.services.cancellation import enrollment_cancel
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from courses.services.transfer import enrollment_transfer
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]


@pytest.fixture
def paid():
    offering = catalog_offering(first_day=dt.date(2027, 1, 15))
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    held.refresh_from_db()
    return held


@pytest.fixture
def later_date():
    return catalog_offering(venue=catalog_venue("Denver", "CO", "America/Denver"),
                            first_day=dt.date(2027, 2, 10), capacity=1)  # fmt: skip


def test_a_paid_seat_moves_without_paying_again(
    paid, later_date, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        moved = enrollment_transfer(learner=paid.learner, enrollment_id=paid.pk,
                                    target_offering_id=later_date.pk, now=NOW)  # fmt: skip

    paid.refresh_from_db()
    assert paid.status == Enrollment.Status.CANCELLED
    assert (moved.status, moved.offering, moved.transferred_from) == (
        Enrollment.Status.CONFIRMED, later_date, paid
    )  # fmt: skip
    assert Payment.objects.count() == 1
    assert mailoutbox[-1].subject == "[DN Tracker] You're enrolled: DN-1 in Denver"


def test_cancelling_a_transferred_seat_refunds_the_original_payment(
    paid, later_date, mailoutbox, django_capture_on_commit_callbacks
):
    moved = enrollment_transfer(learner=paid.learner, enrollment_id=paid.pk,
                                target_offering_id=later_date.pk, now=NOW)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        refund = enrollment_cancel(learner=paid.learner, enrollment_id=moved.pk, now=NOW)

    assert refund.payment == Payment.objects.get()
    assert refund.amount_cents == 89500
    assert mailoutbox[-1].subject == "[DN Tracker] Cancelled: DN-1 in Denver"
    assert "Refund: $895 to the card you paid with" in mailoutbox[-1].body


def test_only_to_the_same_course_at_the_same_price_with_a_free_seat(paid, later_date):
    other_course = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 2, 1))
    with pytest.raises(EnrollmentError, match="only move to another offering of DN-1"):
        enrollment_transfer(learner=paid.learner, enrollment_id=paid.pk,
                            target_offering_id=other_course.pk, now=NOW)  # fmt: skip

    Enrollment.objects.create(learner=licensed_learner(), offering=later_date,
                              status=Enrollment.Status.CONFIRMED)  # fmt: skip
    with pytest.raises(EnrollmentError, match="This offering is full."):
        enrollment_transfer(learner=paid.learner, enrollment_id=paid.pk,
                            target_offering_id=later_date.pk, now=NOW)  # fmt: skip

    course = paid.offering.course
    course.price_cents = 99500
    course.save()
    with pytest.raises(EnrollmentError, match="costs \\$995, not the \\$895 you paid"):
        enrollment_transfer(learner=paid.learner, enrollment_id=paid.pk,
                            target_offering_id=later_date.pk, now=NOW)  # fmt: skip
    paid.refresh_from_db()
    assert paid.status == Enrollment.Status.CONFIRMED


def test_the_transfer_page_lists_other_dates_and_moves_the_seat(client, paid, later_date,
                                                                time_machine):  # fmt: skip
    time_machine.move_to(NOW, tick=False)
    client.force_login(paid.learner)

    page = client.get(f"/me/enrollments/{paid.pk}/transfer/").content.decode()
    assert "Denver, CO" in page and "Move my seat here" in page

    response = client.post(f"/me/enrollments/{paid.pk}/transfer/",
                           {"offering": later_date.pk}, follow=True)  # fmt: skip
    assert "Your seat is now in DN-1 · Denver, CO · 10 Feb 2027." in response.content.decode()


def test_it_hides_transfers_from_other_learners(client, paid, later_date, other_learner):
    client.force_login(other_learner)

    assert client.get(f"/me/enrollments/{paid.pk}/transfer/").status_code == 404
    assert client.post(f"/me/enrollments/{paid.pk}/transfer/",
                       {"offering": later_date.pk}).status_code == 404  # fmt: skip
