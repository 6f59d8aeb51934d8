"""After paying: the checkout is never cached and sends a paid seat to its receipt, a second
Pay charges nothing, and the learner lands on My courses told what happens next."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from courses.models import Enrollment, Payment
from courses.money import format_money
from courses.services.cancellation import enrollment_cancel
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]


@pytest.fixture
def held():
    offering = catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40))
    return enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=timezone.now())


def _pay(held: Enrollment) -> Payment:
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA),
                  now=timezone.now())  # fmt: skip
    return Payment.objects.get(enrollment=held, status=Payment.Status.SUCCEEDED)


def test_it_never_lets_a_browser_cache_the_checkout(client, held):
    client.force_login(held.learner)

    response = client.get(f"/me/enrollments/{held.pk}/checkout/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_sends_a_paid_seats_checkout_to_its_receipt(client, held):
    payment = _pay(held)
    client.force_login(held.learner)

    response = client.get(f"/me/enrollments/{held.pk}/checkout/", follow=True)

    assert response.redirect_chain[-1][0] == f"/me/payments/{payment.pk}/receipt/"
    html = response.content.decode()
    assert "Your seat is confirmed and paid for" in html
    assert "Your seat hold has expired" not in html


def test_it_charges_nothing_when_pay_is_pressed_again_on_a_paid_seat(client, held):
    payment = _pay(held)
    client.force_login(held.learner)

    response = client.post(f"/me/enrollments/{held.pk}/pay/",
                           json.dumps({"card_id": card_token(VISA)}),
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 200
    assert response.json()["redirect"] == f"/me/payments/{payment.pk}/receipt/"
    assert Payment.objects.count() == 1


def test_it_tells_the_learner_what_comes_next_after_paying(client, held):
    client.force_login(held.learner)

    response = client.post(f"/me/enrollments/{held.pk}/pay/",
                           json.dumps({"card_id": card_token(VISA)}),
                           content_type="application/json")  # fmt: skip

    assert response.json()["status"] == "succeeded"
    [message] = [m.message for m in get_messages(response.wsgi_request)]
    offering = held.offering
    first, last = offering.dates[0], offering.dates[-1]
    assert message.startswith(f"You're enrolled in DN-1: {offering.course.title} at Richmond")
    assert offering.venue.one_line_address in message
    assert f"{first:%-d}" in message and f"{last:%-d %B %Y}" in message
    assert "from 8:00 AM each day (America/New_York)" in message
    assert "hepatitis B" in message  # what to bring
    assert f"is on its way to {held.learner.email}" in message
    page = client.get("/me/courses/").content.decode()
    assert f'href="/offerings/{offering.pk}/calendar.ics"' in page


def test_a_refunded_payments_receipt_shows_every_money_movement(client, held):
    payment = _pay(held)
    enrollment_cancel(learner=held.learner, enrollment_id=held.pk, now=timezone.now())
    [refund] = payment.refunds.all()
    client.force_login(held.learner)

    html = client.get(f"/me/payments/{payment.pk}/receipt/").content.decode()

    assert "Amount paid</dt><dd>$895" in html
    assert "Refund: Learner cancelled" in html
    assert f"−{format_money(refund.amount_cents, refund.currency)}" in html
    assert "Refunded to your card" in html
    assert "Kept after refunds: $0" in html


def test_a_receipt_without_refunds_lists_none(client, held):
    payment = _pay(held)
    client.force_login(held.learner)

    html = client.get(f"/me/payments/{payment.pk}/receipt/").content.decode()

    assert "Amount paid</dt><dd>$895" in html
    assert "Refunds" not in html
