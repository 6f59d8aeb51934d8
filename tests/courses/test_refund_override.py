"""A registrar refunds any amount up to what is left, with a reason, logged."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from courses import stripe_api
from courses.models import Enrollment, Payment, Refund
from courses.refunds import RefundOutOfRange
from courses.services.cancellation import refund_send
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, an_offering, licensed_learner
from tests.courses.test_payments import VISA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]


@pytest.fixture
def payment():
    offering = an_offering()
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    return Payment.objects.get()


def _url(payment: Payment) -> str:
    return f"/admin/payments/{payment.pk}/refund/"


def test_a_registrar_refunds_part_of_a_payment_with_a_reason(client, registrar, payment):
    client.force_login(registrar)

    response = client.post(_url(payment), {"amount": "100.00", "reason": "Arrived a day late"})

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.source, refund.reason, refund.requested_by) == (
        10000, Refund.Source.OVERRIDE, "Arrived a day late", registrar
    )  # fmt: skip
    assert refund.status == Refund.Status.SUCCEEDED and refund.stripe_refund_id
    assert payment.enrollment.status == Enrollment.Status.CONFIRMED  # the seat stays
    entry = ModelLogEntry.objects.get(action="dn.refund.issued")
    assert (entry.user, entry.data["amount_cents"]) == (registrar, 10000)


@pytest.mark.parametrize(
    ("data", "message"),
    [({"amount": "900.00", "reason": "x"}, "At most $895 of this payment can still be refunded."),
     ({"amount": "10.00", "reason": " "}, "This field is required."),
     ({"amount": "0", "reason": "x"}, "Ensure this value is greater than or equal to 0.01.")],
)  # fmt: skip
def test_bad_refunds_are_refused_and_change_nothing(client, registrar, payment, data, message):
    client.force_login(registrar)

    response = client.post(_url(payment), data)

    assert message in response.content.decode()
    assert not Refund.objects.exists()


def test_it_sends_no_refund_beyond_what_the_payment_still_holds(registrar, payment):
    refund_send(payment, 80000, registrar, source=Refund.Source.OVERRIDE, reason="Part")

    with pytest.raises(RefundOutOfRange) as refused:
        refund_send(payment, 9501, registrar, source=Refund.Source.OVERRIDE, reason="Too much")

    assert refused.value.remaining_cents == 9500
    assert list(Refund.objects.values_list("amount_cents", flat=True)) == [80000]
    stripe_refunds = stripe_api.refunds_for_payment_intent(payment.stripe_payment_intent_id)
    assert [r.amount for r in stripe_refunds] == [80000]


def test_a_refund_may_cancel_the_seat(client, registrar, payment):
    client.force_login(registrar)

    client.post(_url(payment), {"amount": "895", "reason": "Illness", "cancel_seat": "on"})

    payment.enrollment.refresh_from_db()
    assert payment.enrollment.status == Enrollment.Status.REFUNDED


def test_registrars_see_payments_and_others_cannot_refund(client, registrar, instructor, payment):
    client.force_login(registrar)
    assert client.get("/admin/snippets/courses/payment/").status_code == 200

    for persona in (instructor, payment.enrollment.learner):
        client.force_login(persona)
        response = client.post(_url(payment), {"amount": "10", "reason": "x"})
        assert response.status_code in (302, 403)
    assert not Refund.objects.exists()
