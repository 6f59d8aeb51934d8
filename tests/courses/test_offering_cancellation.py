"""A registrar cancels an offering: registration stops, every confirmed seat gets back all
it paid whatever the tiers say, holds and the waitlist close, each learner is emailed the
reason; a refund Stripe refuses leaves that seat to settle again, the others done."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import ModelLogEntry

from courses.models import Enrollment, Offering, Payment, Refund
from courses.services.cancellation import enrollment_cancel
from tests.courses.test_enrollment_hold import licensed_learner
from tests.courses.test_offering_admin import _edit_form, _edit_url
from tests.courses.test_registrar_seats import _paid_seat, _seats_url
from tests.factories import catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
SOON = dt.date(2026, 12, 3)  # ten days ahead: the tiers would refund nothing


def _cancel(client, offering, reason="The instructor is ill.", action="cancel", confirm=True):
    data = {"action": action, "cancel-reason": reason} | (
        {"cancel-confirm": "on"} if confirm else {}
    )
    return client.post(_seats_url(offering), data)


@pytest.mark.usefixtures("localstripe")
def test_cancelling_refunds_every_seat_in_full_and_tells_everyone(
    client, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    offering = catalog_offering(first_day=SOON, capacity=3)
    paid = _paid_seat(offering)
    free = Enrollment.objects.create(
        learner=licensed_learner(), offering=offering, status="confirmed",
        arrangement="Complimentary seat: x",
    )  # fmt: skip
    queued = Enrollment.objects.create(learner=licensed_learner(), offering=offering,
                                       status="waitlisted")  # fmt: skip
    client.force_login(registrar)

    with django_capture_on_commit_callbacks(execute=True):
        response = _cancel(client, offering)

    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.status == Offering.Status.CANCELLED
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.source, refund.status) == (89500, "offering", "succeeded")
    assert refund.reason == "The offering was cancelled: The instructor is ill."
    statuses = {e.pk: e.status for e in Enrollment.objects.all()}
    assert statuses == {paid.pk: "refunded", free.pk: "cancelled", queued.pk: "cancelled"}
    mails = {m.to[0]: m for m in mailoutbox if m.subject.startswith("[DN Tracker] Cancelled by us")}
    assert set(mails) == {paid.learner.email, free.learner.email, queued.learner.email}
    assert "Why: The instructor is ill." in mails[paid.learner.email].body
    assert "$895 to the card you paid with" in mails[paid.learner.email].body
    assert "no refund is due" in mails[queued.learner.email].body
    entry = ModelLogEntry.objects.get(action="dn.offering.cancelled")
    assert (entry.user, entry.data["reason"]) == (registrar, "The instructor is ill.")
    page = client.get(_seats_url(offering)).content.decode()
    assert "Refunded in full: 1 seat ($895). Closed without a refund: 2 places." in page
    assert "Cancel the offering" not in page


@pytest.mark.usefixtures("localstripe")
def test_a_partly_refunded_seat_gets_back_what_is_left(client, registrar):
    offering = catalog_offering(first_day=SOON)
    payment = Payment.objects.get(enrollment=_paid_seat(offering))
    client.force_login(registrar)
    client.post(f"/admin/payments/{payment.pk}/refund/",
                {"amount": "95.00", "reason": "Goodwill", "action": "refund"})  # fmt: skip

    _cancel(client, offering)

    assert Refund.objects.get(source="offering").amount_cents == 80000


@pytest.mark.usefixtures("localstripe")
def test_a_refund_stripe_refuses_is_settled_again_later(client, registrar):
    offering = catalog_offering(first_day=SOON)
    good, bad = _paid_seat(offering), _paid_seat(offering)
    payment = Payment.objects.get(enrollment=bad)
    intent = payment.stripe_payment_intent_id
    Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id="pi_unknown")
    client.force_login(registrar)

    response = _cancel(client, offering)

    page = client.get(response.url).content.decode()
    assert f"Stripe refused the refund for {bad.learner.email}: settle again." in page
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == ("refunded", "confirmed")
    assert "Settle the remaining places" in page

    Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=intent)
    _cancel(client, offering, action="settle")
    bad.refresh_from_db()
    assert bad.status == "refunded" and Refund.objects.filter(source="offering").count() == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [("no reason", "This field is required."), ("unconfirmed", "This field is required."),
     ("started", "This offering started on 22 November 2026")],
)  # fmt: skip
def test_a_cancellation_that_cannot_go_ahead_changes_nothing(client, registrar, case, message):
    started = case == "started"
    offering = catalog_offering(first_day=dt.date(2026, 11, 22) if started else SOON)
    seat = Enrollment.objects.create(learner=licensed_learner(), offering=offering,
                                     status="confirmed")  # fmt: skip
    client.force_login(registrar)

    response = _cancel(client, offering, reason="" if case == "no reason" else "x",
                       confirm=case != "unconfirmed")  # fmt: skip

    assert message in response.content.decode()
    offering.refresh_from_db()
    seat.refresh_from_db()
    assert (offering.status, seat.status) == ("open", "confirmed")


def test_the_edit_form_sends_a_cancellation_with_learners_to_the_seats_page(
    client, registrar, instructor
):
    offering = catalog_offering(instructors=[instructor], first_day=SOON)
    Enrollment.objects.create(learner=licensed_learner(), offering=offering, status="confirmed")
    client.force_login(registrar)

    response = client.post(_edit_url(offering), _edit_form(offering, status="cancelled"))

    assert "cancel it from its Seats page, which refunds them" in response.content.decode()
    offering.refresh_from_db()
    assert offering.status == "open"


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_cancel_offerings(client, request, persona):
    offering = catalog_offering(first_day=SOON)
    client.force_login(request.getfixturevalue(persona))

    _cancel(client, offering)

    offering.refresh_from_db()
    assert offering.status == "open"


def test_settling_is_only_for_a_cancelled_offering(client, registrar):
    offering = catalog_offering(first_day=SOON)
    seat = Enrollment.objects.create(learner=licensed_learner(), offering=offering,
                                     status="confirmed")  # fmt: skip
    client.force_login(registrar)

    response = _cancel(client, offering, action="settle")

    assert "this one is not cancelled" in response.content.decode()
    seat.refresh_from_db()
    assert seat.status == "confirmed"


@pytest.mark.usefixtures("localstripe")
def test_a_learner_cancelling_in_a_cancelled_offering_gets_everything_back(client, registrar):
    offering = catalog_offering(first_day=SOON)
    seat = _paid_seat(offering)
    Offering.objects.filter(pk=offering.pk).update(status="cancelled")  # not settled yet

    refund = enrollment_cancel(learner=seat.learner, enrollment_id=seat.pk,
                               now=dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC))  # fmt: skip

    assert refund.amount_cents == 89500  # the tiers would give nothing ten days ahead
