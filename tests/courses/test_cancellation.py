"""Cancelling a paid seat: refunds by the offering's tiers through Stripe (localstripe),
each a new row; refunds made in Stripe's dashboard reach the enrollment."""

from __future__ import annotations

import datetime as dt

import pytest

from courses import stripe_api
from courses.exceptions import EnrollmentError
from courses.models import Enrollment, Payment, Refund
from courses.services.cancellation import enrollment_cancel
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, licensed_learner
from tests.courses.test_payments import VISA
from tests.courses.test_webhook import _deliver, _event
from tests.factories import catalog_offering, catalog_venue

FIRST_DAY = dt.date(2027, 1, 15)  # Richmond, America/New_York


@pytest.fixture
def paid(db, localstripe):
    offering = catalog_offering(first_day=FIRST_DAY, capacity=1)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    held.refresh_from_db()
    return held


def _days_before(days: int) -> dt.datetime:
    """Noon in Richmond, `days` calendar days before the first day."""
    day = FIRST_DAY - dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("days", "refunded_cents", "status"),
    [(28, 89500, "refunded"), (27, 44750, "refunded"), (14, 44750, "refunded"),
     (13, None, "cancelled")],
)  # fmt: skip
def test_cancelling_refunds_by_the_tiers_and_frees_the_seat(
    paid, days, refunded_cents, status, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        refund = enrollment_cancel(learner=paid.learner, enrollment_id=paid.pk,
                                   now=_days_before(days))  # fmt: skip

    paid.refresh_from_db()
    assert paid.status == status
    if refunded_cents:
        assert (refund.amount_cents, refund.status) == (refunded_cents, Refund.Status.SUCCEEDED)
        stripe_refunds = stripe_api.refunds_for_payment_intent(
            Payment.objects.get().stripe_payment_intent_id
        )
        assert [r.amount for r in stripe_refunds] == [refunded_cents]
    else:
        assert refund is None and not Refund.objects.exists()
    assert mailoutbox[-1].subject == "[DN Tracker] Cancelled: DN-1 in Richmond"
    # The seat is free again.
    enrollment_hold(learner=licensed_learner(), offering_id=paid.offering_id, now=NOW)


def test_it_counts_days_on_the_venues_calendar_late_in_the_evening(db, localstripe):
    """23:30 in Richmond (04:30 UTC the next day) and 22:30 in Denver (00:30 in New York,
    the provider's zone, the next day) are still 28 days before a first day there: the
    tier is the one the learner reads against the dates the offering page shows."""
    richmond = _paid_seat(catalog_offering(first_day=FIRST_DAY))
    denver = _paid_seat(catalog_offering(
        first_day=FIRST_DAY, venue=catalog_venue("Denver", "CO", "America/Denver")
    ))  # fmt: skip
    late_in_richmond = dt.datetime(2026, 12, 19, 4, 30, tzinfo=dt.UTC)
    late_in_denver = dt.datetime(2026, 12, 19, 5, 30, tzinfo=dt.UTC)

    for seat, moment in ((richmond, late_in_richmond), (denver, late_in_denver)):
        refund = enrollment_cancel(learner=seat.learner, enrollment_id=seat.pk, now=moment)
        assert refund.amount_cents == 89500
        assert refund.reason == "Cancelled 28 days before the start: 100%."


def _paid_seat(offering) -> Enrollment:
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    return Enrollment.objects.get(pk=held.pk)


def test_a_seat_cannot_be_cancelled_twice_or_by_someone_else(paid, other_learner):
    with pytest.raises(Enrollment.DoesNotExist):
        enrollment_cancel(learner=other_learner, enrollment_id=paid.pk, now=_days_before(30))
    enrollment_cancel(learner=paid.learner, enrollment_id=paid.pk, now=_days_before(30))

    with pytest.raises(EnrollmentError, match="Only a confirmed seat can be cancelled"):
        enrollment_cancel(learner=paid.learner, enrollment_id=paid.pk, now=_days_before(30))
    assert Refund.objects.count() == 1


def test_the_cancel_page_quotes_the_refund_first(client, paid, time_machine):
    time_machine.move_to(_days_before(20), tick=False)
    client.force_login(paid.learner)

    page = client.get(f"/me/enrollments/{paid.pk}/cancel/").content.decode()
    assert "Cancelling now returns <strong>$447.50</strong> (50%" in page

    response = client.post(f"/me/enrollments/{paid.pk}/cancel/", follow=True)
    assert "Your seat is cancelled. $447.50 is on its way back." in response.content.decode()


def test_a_dashboard_refund_reaches_the_enrollment_once(client, paid, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
    payment = Payment.objects.get()
    stripe_api._client().v1.refunds.create(
        params={"payment_intent": payment.stripe_payment_intent_id}
    )
    event = _event("charge.refunded", payment.stripe_charge_id, "evt_refund")
    event["data"]["object"] |= {"object": "charge",
                                "payment_intent": payment.stripe_payment_intent_id}  # fmt: skip

    responses = [_deliver(client, event).status_code for _ in range(3)]

    assert responses == [200, 200, 200]
    [refund] = Refund.objects.all()
    assert (refund.source, refund.amount_cents) == (Refund.Source.EXTERNAL, 89500)
    paid.refresh_from_db()
    assert paid.status == Enrollment.Status.REFUNDED


def test_when_stripe_refuses_the_refund_the_seat_stays_cancelled_and_a_registrar_decides(
    client, paid, stripe_proxy, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    time_machine.move_to(_days_before(30), tick=False)
    stripe_proxy.fail("POST", "/v1/refunds", "Charge ch_1 has been disputed.")
    client.force_login(paid.learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/me/enrollments/{paid.pk}/cancel/", follow=True)

    assert response.status_code == 200
    assert (
        "Your seat is cancelled, but Stripe did not accept the refund of $895. Our registrar "
        "has been told" in response.content.decode()
    )
    paid.refresh_from_db()
    assert paid.status == Enrollment.Status.CANCELLED
    payment = Payment.objects.get()
    assert payment.attention_reason == (
        "The learner cancelled; Stripe refused the refund of $895 "
        "(Charge ch_1 has been disputed.): refund it."
    )
    [refund] = Refund.objects.all()
    assert (refund.status, refund.amount_cents) == (Refund.Status.FAILED, 89500)
    assert "our payment provider did not accept it" in mailoutbox[-1].body
    # The seat is free again, and the whole payment is still there to refund.
    enrollment_hold(learner=licensed_learner(), offering_id=paid.offering_id, now=NOW)
    from courses.selectors import amount_kept

    assert amount_kept(payment) == 89500
