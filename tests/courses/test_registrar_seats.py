"""A registrar arranges seats from the admin: offers a learner a seat to pay for, gives a
complimentary one, or moves a confirmed seat to another offering (price differences
refunded or waived). Capacity holds, each needs a reason, each is kept and logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from courses import selectors
from courses.exceptions import EnrollmentError
from courses.models import Course, Enrollment, Payment, Refund
from courses.services.cancellation import enrollment_cancel
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from courses.services.transfer import enrollment_transfer
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
MARCH = dt.date(2027, 3, 14)


def _seats_url(offering):
    return f"/admin/offerings/{offering.pk}/seats/"


def _enrollment_url(enrollment):
    return f"/admin/enrollments/{enrollment.pk}/"


def _arrange(client, offering, learner, kind="offer", reason="Booked by phone"):
    return client.post(
        _seats_url(offering),
        {"action": "add", "email": learner.email.upper(), "kind": kind, "reason": reason},
    )


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.mark.usefixtures("localstripe")
def test_an_offered_seat_is_held_emailed_and_paid_through_the_usual_checkout(
    registrar_client, registrar, mailoutbox, django_capture_on_commit_callbacks, settings
):
    offering, learner = catalog_offering(first_day=MARCH), licensed_learner()

    with django_capture_on_commit_callbacks(execute=True):
        response = _arrange(registrar_client, offering, learner)

    assert response.status_code == 302
    seat = Enrollment.objects.get(offering=offering)
    assert (seat.learner, seat.status, seat.arranged_by) == (learner, "offered", registrar)
    assert seat.hold_expires_at == dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)  # 48 hours
    assert seat.arrangement == "Seat offered: Booked by phone"
    assert mailoutbox[-1].subject == "[DN Tracker] A seat is held for you: DN-1 in Richmond"
    assert f"/me/enrollments/{seat.pk}/checkout/" in mailoutbox[-1].body
    entry = ModelLogEntry.objects.get(action="dn.seat.arranged")
    assert (entry.user, entry.data["kind"], entry.data["learner"]) == (
        registrar, "offer", learner.email
    )  # fmt: skip

    payment_start(learner=learner, enrollment_id=seat.pk, card_id=card_token(VISA),
                  now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))  # fmt: skip
    seat.refresh_from_db()
    assert seat.status == "confirmed"


def test_a_complimentary_seat_is_confirmed_at_once_and_takes_a_seat(
    registrar_client, other_learner, mailoutbox, django_capture_on_commit_callbacks
):
    offering, learner = catalog_offering(first_day=MARCH, capacity=1), licensed_learner()

    with django_capture_on_commit_callbacks(execute=True):
        _arrange(registrar_client, offering, learner, kind="complimentary", reason="Scholarship")

    seat = Enrollment.objects.get(offering=offering)
    assert (seat.status, seat.arrangement) == ("confirmed", "Complimentary seat: Scholarship")
    assert selectors.payment_for(seat) is None and not Payment.objects.exists()
    assert mailoutbox[-1].subject == "[DN Tracker] You're enrolled: DN-1 in Richmond"
    assert "No payment is due for this seat." in mailoutbox[-1].body
    assert mailoutbox[-1].attachments[0][0] == "DN-1.ics"
    refused = _arrange(registrar_client, offering, licensed_learner())
    assert "This offering is full." in refused.content.decode()
    later = catalog_offering(first_day=dt.date(2027, 4, 11), venue=catalog_venue("Denver", "CO"))
    with pytest.raises(EnrollmentError, match="arranged by the registrar: ask them to move it"):
        enrollment_transfer(learner=learner, enrollment_id=seat.pk, target_offering_id=later.pk,
                            now=dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC))  # fmt: skip


def test_a_waitlisted_learner_leaves_the_queue_for_the_seat(registrar_client):
    offering, learner = catalog_offering(first_day=MARCH), licensed_learner()
    queued = Enrollment.objects.create(learner=learner, offering=offering, status="waitlisted")

    _arrange(registrar_client, offering, learner, kind="complimentary")

    queued.refresh_from_db()
    assert queued.status == "confirmed"
    assert Enrollment.objects.filter(offering=offering).count() == 1


def test_registration_closed_does_not_stop_a_registrar(registrar_client):
    # Registration closes two days before the first day: 29 November for 1 December.
    offering = catalog_offering(first_day=dt.date(2026, 12, 1), status="closed")

    _arrange(registrar_client, offering, licensed_learner())

    assert Enrollment.objects.get(offering=offering).status == "offered"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown email", "No account uses this email: the learner signs up first."),
        ("no license", "The learner would be told: “Add your license before enrolling"),
        ("already in", "The learner would be told: “You already have a seat in this offering"),
        ("started", "This offering started on 22 November 2026"),
        ("cancelled", "This offering is cancelled: it takes no learners."),
        ("no reason", "This field is required."),
    ],
)
def test_a_seat_that_cannot_be_arranged_is_refused_and_nothing_changes(
    registrar_client, case, message
):
    first_day = dt.date(2026, 11, 22) if case == "started" else MARCH
    offering = catalog_offering(
        first_day=first_day, status="cancelled" if case == "cancelled" else "open"
    )
    learner = licensed_learner()
    if case == "no license":
        learner.licenses.all().delete()
    if case == "already in":
        Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    before = list(Enrollment.objects.values_list("pk", "status"))
    data = {"action": "add", "email": learner.email, "kind": "offer", "reason": "x"}
    if case == "unknown email":
        data["email"] = "nobody@example.org"
    if case == "no reason":
        data["reason"] = " "

    response = registrar_client.post(_seats_url(offering), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Enrollment.objects.values_list("pk", "status")) == before
    assert not ModelLogEntry.objects.filter(action="dn.seat.arranged").exists()


def _paid_seat(offering):
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    held.refresh_from_db()
    return held


def _priced(code: str, cents: int) -> Course:
    course = catalog_course(code)
    Course.objects.filter(pk=course.pk).update(price_cents=cents)
    course.refresh_from_db()
    return course


@pytest.mark.usefixtures("localstripe")
def test_a_moved_seat_keeps_its_payment_and_frees_the_old_one_for_the_waitlist(
    registrar_client, registrar, other_learner, mailoutbox, django_capture_on_commit_callbacks
):
    source = catalog_offering(first_day=dt.date(2027, 1, 15), capacity=1)
    seat = _paid_seat(source)
    queued = Enrollment.objects.create(learner=other_learner, offering=source,
                                       status="waitlisted")  # fmt: skip
    target = catalog_offering(first_day=MARCH, venue=catalog_venue("Denver", "CO"))

    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            _enrollment_url(seat), {"offering": target.pk, "reason": "Family emergency"}
        )

    moved = Enrollment.objects.get(offering=target)
    assert response.url == _enrollment_url(moved)
    seat.refresh_from_db()
    queued.refresh_from_db()
    assert (seat.status, moved.status, moved.transferred_from) == ("cancelled", "confirmed", seat)
    assert moved.arrangement == "Moved: Family emergency" and moved.arranged_by == registrar
    assert selectors.payment_for(moved) == Payment.objects.get() and not Refund.objects.exists()
    assert queued.status == "offered"
    assert {m.subject for m in mailoutbox} >= {"[DN Tracker] You're enrolled: DN-1 in Denver"}
    assert ModelLogEntry.objects.get(action="dn.seat.moved").data["reason"] == "Family emergency"
    page = registrar_client.get(_enrollment_url(moved)).content.decode()
    assert "Moved from" in page and "$895 on" in page


@pytest.mark.usefixtures("localstripe")
def test_moving_to_a_cheaper_course_refunds_the_difference_to_the_card(
    registrar_client, mailoutbox, django_capture_on_commit_callbacks
):
    seat = _paid_seat(catalog_offering(first_day=dt.date(2027, 1, 15)))
    target = catalog_offering(course=_priced("DN-0", 49500), first_day=MARCH)

    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            _enrollment_url(seat), {"offering": target.pk, "reason": "Starts with the intro"}
        )

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.source, refund.status) == (40000, "move", "succeeded")
    assert refund.stripe_refund_id and refund.reason.endswith("Starts with the intro")
    assert selectors.amount_kept(Payment.objects.get()) == 49500
    assert "Paid: $495" in mailoutbox[-1].body


@pytest.mark.usefixtures("localstripe")
def test_moving_to_a_dearer_course_needs_the_difference_waived(registrar_client):
    seat = _paid_seat(catalog_offering(first_day=dt.date(2027, 1, 15)))
    target = catalog_offering(course=_priced("DN-3", 99500), first_day=MARCH)

    refused = registrar_client.post(_enrollment_url(seat), {"offering": target.pk, "reason": "x"})

    assert "costs $995; $895 was paid. Waive the $100 difference" in refused.content.decode()
    seat.refresh_from_db()
    assert seat.status == "confirmed" and not Enrollment.objects.filter(offering=target).exists()

    registrar_client.post(
        _enrollment_url(seat), {"offering": target.pk, "reason": "x", "waive_difference": "on"}
    )
    assert Enrollment.objects.get(offering=target).status == "confirmed"
    assert not Refund.objects.exists()


@pytest.mark.usefixtures("localstripe")
def test_a_refund_after_a_move_cancels_the_seat_the_payment_now_pays_for(registrar_client):
    seat = _paid_seat(catalog_offering(first_day=dt.date(2027, 1, 15)))
    target = catalog_offering(first_day=MARCH, venue=catalog_venue("Denver", "CO"))
    registrar_client.post(_enrollment_url(seat), {"offering": target.pk, "reason": "x"})
    payment = Payment.objects.get()

    registrar_client.post(
        f"/admin/payments/{payment.pk}/refund/",
        {"amount": "895.00", "reason": "Cannot come after all", "action": "refund"},
    )

    assert Enrollment.objects.get(offering=target).status == "refunded"
    page = registrar_client.get(f"/admin/payments/{payment.pk}/refund/").content.decode()
    assert 'Pays for: <a href="/admin/enrollments/' in page and "moved from DN-1" in page


def test_only_a_confirmed_seat_moves(registrar_client):
    held = Enrollment.objects.create(learner=licensed_learner(), status="waitlisted",
                                     offering=catalog_offering(first_day=MARCH))  # fmt: skip
    page = registrar_client.get(_enrollment_url(held)).content.decode()
    assert "Move the seat" not in page

    target = catalog_offering(first_day=MARCH, venue=catalog_venue("Denver", "CO"))
    registrar_client.post(_enrollment_url(held), {"offering": target.pk, "reason": "x"})
    assert not Enrollment.objects.filter(offering=target).exists()


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_arrange_or_move_seats(client, request, persona):
    offering = catalog_offering(first_day=MARCH)
    seat = Enrollment.objects.create(learner=licensed_learner(), offering=offering,
                                     status="confirmed")  # fmt: skip
    target = catalog_offering(first_day=MARCH, venue=catalog_venue("Denver", "CO"))
    client.force_login(request.getfixturevalue(persona))

    pages = [client.get(_seats_url(offering)), client.get(_enrollment_url(seat))]
    _arrange(client, offering, licensed_learner(), kind="complimentary")
    client.post(_enrollment_url(seat), {"offering": target.pk, "reason": "x"})

    assert all(page.status_code in (302, 403) for page in pages)
    assert Enrollment.objects.count() == 1


def test_the_seats_page_lists_everyone_in_a_fixed_number_of_queries(registrar_client):
    offering = catalog_offering(first_day=MARCH, capacity=30)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert registrar_client.get(_seats_url(offering)).status_code == 200
        return len(captured)

    Enrollment.objects.create(learner=licensed_learner(), offering=offering, status="confirmed")
    queries()  # the signed-in registrar is read once, then kept (accounts/user_cache.py)
    few = queries()
    for status in ["confirmed", "offered", "waitlisted", "cancelled"] * 3:
        Enrollment.objects.create(learner=licensed_learner(), offering=offering, status=status)
    assert queries() == few
    page = registrar_client.get(_seats_url(offering)).content.decode()
    assert "3 on the waitlist" in page


def test_registrars_find_enrollments_by_learner_email_and_cannot_edit_them(registrar_client):
    learner = licensed_learner()
    seat = Enrollment.objects.create(learner=learner, status="confirmed",
                                     offering=catalog_offering(first_day=MARCH))  # fmt: skip
    Enrollment.objects.create(learner=licensed_learner(), status="confirmed",
                              offering=seat.offering)  # fmt: skip

    found = registrar_client.get("/admin/snippets/courses/enrollment/", {"q": learner.email})

    assert _enrollment_url(seat) in found.content.decode()
    assert found.content.decode().count("/admin/enrollments/") == 1
    edit = registrar_client.get(f"/admin/snippets/courses/enrollment/edit/{seat.pk}/")
    assert edit.status_code in (302, 403)


@pytest.mark.usefixtures("localstripe")
def test_a_seat_moved_to_where_the_learner_waits_takes_their_queue_place(registrar_client):
    seat = _paid_seat(catalog_offering(first_day=dt.date(2027, 1, 15)))
    target = catalog_offering(first_day=MARCH, venue=catalog_venue("Denver", "CO"))
    queued = Enrollment.objects.create(learner=seat.learner, offering=target,
                                       status="waitlisted")  # fmt: skip

    registrar_client.post(_enrollment_url(seat), {"offering": target.pk, "reason": "x"})

    queued.refresh_from_db()
    assert (queued.status, queued.transferred_from) == ("confirmed", seat)
    assert Enrollment.objects.filter(learner=seat.learner, offering=target).count() == 1


@pytest.mark.usefixtures("localstripe")
def test_after_a_cheaper_move_a_cancellation_refunds_a_share_of_what_is_left(registrar_client):
    seat = _paid_seat(catalog_offering(first_day=dt.date(2027, 1, 15)))
    # 20 days before the start: the standard tiers give back 50%.
    target = catalog_offering(course=_priced("DN-0", 49500), first_day=dt.date(2026, 12, 13))
    registrar_client.post(_enrollment_url(seat), {"offering": target.pk, "reason": "x"})
    moved = Enrollment.objects.get(offering=target)

    refund = enrollment_cancel(learner=seat.learner, enrollment_id=moved.pk,
                               now=dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC))  # fmt: skip

    assert refund.amount_cents == 24750  # half of the $495 kept, not of the $895 paid
    assert selectors.amount_kept(Payment.objects.get()) == 24750
