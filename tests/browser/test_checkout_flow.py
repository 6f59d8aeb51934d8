"""A learner enrolls and pays through Stripe.js (localstripe's fake), sees the seat
confirmed; a declined card keeps the hold; 3-D Secure completes or fails cleanly."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.models import Enrollment, Payment
from tests.browser.axe import assert_accessible
from tests.courses.test_enrollment_hold import licensed_learner
from tests.factories import PASSWORD, catalog_offering

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("localstripe")]


def _sign_in_and_reach_checkout(page: Page, live_server) -> tuple:
    first_day = dt.date.today() + dt.timedelta(days=40)
    offering = catalog_offering(first_day=first_day, capacity=4)
    learner = licensed_learner()
    page.goto(f"{live_server.url}/accounts/login/?next=/offerings/{offering.pk}/")
    page.get_by_label("Email:").fill(learner.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Enroll and pay").click()
    expect(page.get_by_role("heading", name="Pay for your seat")).to_be_visible()
    return learner, offering


def _fill_card(page: Page, number: str) -> None:
    card = page.locator("#card")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("23219")
    page.get_by_role("button", name="Pay $895").click()


def test_a_learner_enrolls_and_pays_with_a_card(live_server, page: Page):
    learner, _ = _sign_in_and_reach_checkout(page, live_server)
    assert_accessible(page)

    _fill_card(page, "4242424242424242")

    expect(page.get_by_role("heading", name="My courses")).to_be_visible()
    expect(page.get_by_text("Confirmed")).to_be_visible()
    assert_accessible(page)
    assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.CONFIRMED
    assert mail.outbox[-1].to == [learner.email]
    assert mail.outbox[-1].subject.startswith("[DN Tracker] You're enrolled: DN-1")


def test_a_payment_after_the_hold_expired_is_refused_before_any_charge(live_server, page: Page):
    learner, _ = _sign_in_and_reach_checkout(page, live_server)
    Enrollment.objects.filter(learner=learner).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    _fill_card(page, "4242424242424242")

    expect(page.get_by_role("alert")).to_contain_text("Your seat hold has expired")
    assert not Payment.objects.exists()


def test_a_declined_card_shows_the_error_and_keeps_the_hold(live_server, page: Page):
    learner, _ = _sign_in_and_reach_checkout(page, live_server)

    _fill_card(page, "4000000000000341")

    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
    assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.HELD


@pytest.mark.parametrize(("choice", "confirmed"), [("Complete authentication", True),
                                                   ("Fail authentication", False)])  # fmt: skip
def test_three_d_secure(live_server, page: Page, choice, confirmed):
    learner, _ = _sign_in_and_reach_checkout(page, live_server)

    _fill_card(page, "4000002500003155")
    page.get_by_role("button", name=choice).click()

    if confirmed:
        expect(page.get_by_text("Confirmed")).to_be_visible()
        assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.CONFIRMED
    else:
        expect(page.get_by_role("alert")).not_to_be_empty()
        assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.HELD


def test_a_newcomer_signs_up_completes_the_profile_enrolls_and_pays(live_server, page: Page):
    offering = catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40))
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("new.pt@example.test")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"{live_server.url}/accounts/login/?next=/offerings/{offering.pk}/")
    page.get_by_label("Email").fill("new.pt@example.test")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_label("Legal name").fill("Noor Patel")
    page.get_by_label("Profession").select_option(label="Physical therapist (PT)")
    page.get_by_role("button", name="Save profile").click()  # back to the offering
    expect(page.get_by_text("Add your license before enrolling")).to_be_visible()
    page.goto(f"{live_server.url}/me/licenses/add/")
    page.get_by_label("Profession").select_option(label="Physical therapist (PT)")
    page.get_by_label("Jurisdiction").select_option("VA")
    page.get_by_label("License number").fill("0101-777777")
    page.get_by_label("Issued").fill("2020-06-01")
    page.get_by_label("Expires").fill("2028-06-30")
    page.get_by_role("button", name="Add license").click()
    page.goto(f"{live_server.url}/offerings/{offering.pk}/")
    page.get_by_role("button", name="Enroll and pay").click()
    _fill_card(page, "4242424242424242")

    expect(page.get_by_text("Confirmed")).to_be_visible()
    assert mail.outbox[-1].to == ["new.pt@example.test"]
    assert mail.outbox[-1].subject.startswith("[DN Tracker] You're enrolled")
