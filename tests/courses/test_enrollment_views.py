"""The enrollment pages over HTTP: reasons shown, ownership enforced, expired holds refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from courses.models import Enrollment, Payment
from tests.courses.test_enrollment_hold import licensed_learner
from tests.factories import catalog_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    return catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40), capacity=2)


def test_visitors_are_invited_to_sign_in_to_enroll(client, offering):
    html = client.get(f"/offerings/{offering.pk}/").content.decode()

    assert f'href="/accounts/login/?next=/offerings/{offering.pk}/"' in html


def test_a_learner_without_a_profile_sees_what_is_missing(client, learner, offering):
    client.force_login(learner)

    html = client.get(f"/offerings/{offering.pk}/").content.decode()

    assert "Before you can enroll:" in html
    assert "Complete your profile first" in html
    assert "Enroll and pay" not in html


def test_enrolling_holds_a_seat_and_opens_the_checkout(client, offering):
    learner = licensed_learner()
    client.force_login(learner)

    response = client.post(f"/offerings/{offering.pk}/enroll/")

    hold = Enrollment.objects.get(learner=learner)
    assert response["Location"] == f"/me/enrollments/{hold.pk}/checkout/"
    page = client.get(response["Location"])
    assert "Pay $895" in page.content.decode()
    assert "script-src 'self' " in page["Content-Security-Policy"]


def test_a_refused_enrollment_shows_its_reasons(client, learner, offering):
    client.force_login(learner)

    response = client.post(f"/offerings/{offering.pk}/enroll/", follow=True)

    assert "Complete your profile first" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_it_shows_each_reason_of_a_refused_enrollment_once(client, learner, offering):
    client.force_login(learner)

    page = client.post(f"/offerings/{offering.pk}/enroll/", follow=True).content.decode()

    assert page.count("Complete your profile first") == 1


def test_it_hides_enrollments_from_other_learners(client, offering, other_learner):
    learner = licensed_learner()
    client.force_login(learner)
    client.post(f"/offerings/{offering.pk}/enroll/")
    hold = Enrollment.objects.get()
    client.force_login(other_learner)

    assert client.get(f"/me/enrollments/{hold.pk}/checkout/").status_code == 404
    assert client.post(f"/me/enrollments/{hold.pk}/pay/", "{}",
                       content_type="application/json").status_code == 404  # fmt: skip
    assert offering.course.code not in client.get("/me/courses/").content.decode()


def test_paying_after_the_hold_expired_is_refused_before_any_charge(client, offering, time_machine):
    learner = licensed_learner()
    client.force_login(learner)
    client.post(f"/offerings/{offering.pk}/enroll/")
    hold = Enrollment.objects.get()
    time_machine.move_to(hold.hold_expires_at + dt.timedelta(seconds=1))

    response = client.post(f"/me/enrollments/{hold.pk}/pay/", json.dumps({"card_id": "card_x"}),
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 409
    assert "Your seat hold has expired" in response.json()["detail"]
    assert not hold.payments.exists()


def test_pay_without_a_card_is_a_clear_400(client, offering):
    learner = licensed_learner()
    client.force_login(learner)
    client.post(f"/offerings/{offering.pk}/enroll/")
    hold = Enrollment.objects.get()

    response = client.post(f"/me/enrollments/{hold.pk}/pay/", "not json",
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 400
    assert response.json() == {
        "detail": "No card was sent.",
        "reasons": ["No card was sent."],
        "code": "refused",
    }


def test_my_courses_lists_the_learners_enrollments_with_pay_now(client, offering):
    learner = licensed_learner()
    client.force_login(learner)
    client.post(f"/offerings/{offering.pk}/enroll/")

    html = client.get("/me/courses/").content.decode()

    assert "DN-1: Dry Needling 1" in html and "Seat held" in html and "Pay now" in html


def test_enrolling_in_an_offering_that_does_not_exist_is_a_404(client, learner):
    client.force_login(learner)

    assert client.post("/offerings/999999/enroll/").status_code == 404
    assert client.post("/offerings/999999/waitlist/").status_code == 404
    assert not Enrollment.objects.exists()


@pytest.mark.usefixtures("localstripe")
@pytest.mark.parametrize("card_id", ["card_doesnotexist00", "tok_visa", ["card_1"]])
def test_paying_with_a_card_stripe_does_not_know_is_a_clear_400_and_changes_nothing(
    client, offering, card_id
):
    client.force_login(licensed_learner())
    client.post(f"/offerings/{offering.pk}/enroll/")
    hold = Enrollment.objects.get()

    response = client.post(f"/me/enrollments/{hold.pk}/pay/", {"card_id": card_id},
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 400
    assert "Nothing was charged" in response.json()["detail"]
    hold.refresh_from_db()
    assert hold.status == Enrollment.Status.HELD
    # An attempt Stripe refused stays on record as failed (payments are never deleted).
    assert not hold.payments.exclude(status=Payment.Status.FAILED).exists()
