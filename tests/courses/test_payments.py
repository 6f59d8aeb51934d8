"""Paying for a held seat, against localstripe over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.exceptions import EnrollmentError
from courses.models import Enrollment, Payment
from courses.services.enrollment import enrollment_hold
from courses.services.payments import _attempt_open, payment_refresh, payment_start
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import NOW, an_offering, licensed_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]

VISA = "4242424242424242"
DECLINED = "4000000000000341"
THREE_D_SECURE = "4000002500003155"


@pytest.fixture
def held():
    offering = an_offering(capacity=1)
    return enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)


def test_paying_for_a_live_hold_confirms_the_seat(held):
    outcome = payment_start(
        learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW
    )

    assert outcome.status == "succeeded"
    held.refresh_from_db()
    assert held.status == Enrollment.Status.CONFIRMED
    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.currency) == (89500, "usd")
    assert payment.stripe_payment_intent_id.startswith("pi_")
    assert payment.stripe_charge_id.startswith("ch_")


def test_a_declined_card_shows_why_and_keeps_the_hold(held):
    outcome = payment_start(
        learner=held.learner, enrollment_id=held.pk, card_id=card_token(DECLINED), now=NOW
    )

    assert (outcome.status, outcome.message) == ("failed", "Your card was declined.")
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD
    assert Payment.objects.get().status == Payment.Status.FAILED


def test_nothing_is_charged_once_the_hold_has_expired(held):
    later = NOW + dt.timedelta(minutes=16)

    with pytest.raises(
        EnrollmentError, match="Your seat hold has expired, so nothing was charged."
    ):
        payment_start(learner=held.learner, enrollment_id=held.pk,
                      card_id=card_token(VISA), now=later)  # fmt: skip

    assert not Payment.objects.exists()


def test_three_d_secure_hands_the_browser_a_client_secret(held):
    outcome = payment_start(
        learner=held.learner, enrollment_id=held.pk, card_id=card_token(THREE_D_SECURE), now=NOW
    )

    assert outcome.status == "requires_action" and outcome.client_secret
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD


def test_another_learner_cannot_pay_for_someone_elses_hold(held, other_learner):
    with pytest.raises(Enrollment.DoesNotExist):
        payment_start(learner=other_learner, enrollment_id=held.pk,
                      card_id=card_token(VISA), now=NOW)  # fmt: skip


def test_refreshing_a_paid_payment_changes_nothing(held):
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    payment = Payment.objects.get()

    outcome = payment_refresh(learner=held.learner, payment_id=payment.pk, now=NOW)

    assert outcome.status == "succeeded"
    assert Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED).count() == 1


def test_a_confirmed_seat_emails_the_learner_a_receipt_and_the_calendar(
    held, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        payment_start(learner=held.learner, enrollment_id=held.pk,
                      card_id=card_token(VISA), now=NOW)  # fmt: skip

    [email] = mailoutbox
    assert email.to == [held.learner.email]
    assert email.subject == "[DN Tracker] You're enrolled: DN-1 in Richmond"
    assert "Paid: $895" in email.body and "/me/payments/" in email.body
    [(filename, content, mimetype)] = email.attachments
    assert (filename, mimetype) == ("DN-1.ics", "text/calendar")
    assert content.count("BEGIN:VEVENT") == 3


def test_the_receipt_is_the_learners_alone(client, held, other_learner):
    payment_start(learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW)
    payment = Payment.objects.get()

    client.force_login(held.learner)
    page = client.get(f"/me/payments/{payment.pk}/receipt/").content.decode()
    assert "$895" in page and payment.stripe_payment_intent_id in page

    client.force_login(other_learner)
    assert client.get(f"/me/payments/{payment.pk}/receipt/").status_code == 404


@pytest.mark.parametrize("hours", [0, 721])
def test_reconcile_payments_refuses_a_window_stripe_does_not_keep(hours):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--hours must be between 1 and 720"):
        call_command("reconcile_payments", hours=hours)


def test_a_payment_that_arrives_for_a_lost_seat_tells_the_learner(
    client, held, django_capture_on_commit_callbacks, mailoutbox
):
    """3-D Secure outlasted the hold and the last seat went to someone else."""
    from courses import stripe_api

    outcome = payment_start(learner=held.learner, enrollment_id=held.pk,
                            card_id=card_token(THREE_D_SECURE), now=NOW)  # fmt: skip
    payment = Payment.objects.get()
    stripe_api._client().raw_request(
        "post", f"/v1/payment_intents/{payment.stripe_payment_intent_id}/_authenticate",
        client_secret=outcome.client_secret, success="true",
    )  # fmt: skip
    later = NOW + dt.timedelta(minutes=20)
    enrollment_hold(learner=licensed_learner(), offering_id=held.offering_id, now=later)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = payment_refresh(learner=held.learner, payment_id=payment.pk, now=later)

    assert outcome.message.startswith("Your payment went through, but we could not confirm")
    held.refresh_from_db()
    assert held.status == Enrollment.Status.HELD
    [email] = mailoutbox
    assert email.to == [held.learner.email]
    assert "the last seat was taken" in email.body and "refund the full amount" in email.body


def test_a_pay_that_races_a_3d_secure_attempt_joins_it_instead_of_charging_again(held):
    """Two Pay requests at once: the second passed the step that cancels an attempt waiting
    for 3-D Secure before the first one reached that state; under the seat's lock it must
    take up that attempt, not open a second charge for the same hold."""
    first = payment_start(learner=held.learner, enrollment_id=held.pk,
                          card_id=card_token(THREE_D_SECURE), now=NOW)  # fmt: skip
    assert first.status == "requires_action"

    attempt, fresh = _attempt_open(
        learner=held.learner, enrollment_id=held.pk, card_id=card_token(VISA), now=NOW
    )

    assert (attempt.pk, fresh) == (first.payment_id, False)
    assert Payment.objects.count() == 1
