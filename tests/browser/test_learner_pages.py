"""The learner's pages touched by issue 16, on a phone and a laptop: back after paying lands
on the receipt, the message after paying, a refunded receipt, the profile and a license to
correct, a revoked certificate, and an offering under way. Each is checked with axe and
photographed (under pytest's tmp_path) for a person to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from certification.certificates import certificate_set_status
from certification.programs import certificate_issue_if_due
from courses.services.cancellation import enrollment_cancel
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from learners.models import License
from tests.browser.axe import assert_accessible
from tests.browser.test_checkout_flow import _fill_card
from tests.certification.helpers import course_completed, pt_license
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import PASSWORD, UserFactory, catalog_offering

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("localstripe")]
SIZES = [(390, 844), (1280, 800)]


def _sign_in(page: Page, live_server, user, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _look(page: Page, tmp_path: Path, name: str, width: int) -> None:
    page.screenshot(path=tmp_path / f"{name}-{width}.png", full_page=True)
    assert_accessible(page)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_after_paying_the_learner_is_told_what_comes_next_and_back_shows_the_receipt(
    live_server, page: Page, tmp_path: Path, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    offering = catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40))
    learner = licensed_learner()
    _sign_in(page, live_server, learner, f"/offerings/{offering.pk}/")
    page.get_by_role("button", name="Enroll and pay").click()
    expect(page.get_by_role("heading", name="Pay for your seat")).to_be_visible()

    _fill_card(page, "4242424242424242")

    expect(page.get_by_role("heading", name="My courses")).to_be_visible()
    message = page.locator(".message--success")
    expect(message).to_contain_text("You're enrolled in DN-1")
    expect(message).to_contain_text("hepatitis B")
    expect(message).to_contain_text(f"is on its way to {learner.email}")
    _look(page, tmp_path, "after-paying", width)

    page.go_back()

    expect(page.get_by_role("heading", name="Receipt")).to_be_visible()
    expect(page.get_by_text("Your seat is confirmed and paid for")).to_be_visible()
    expect(page.get_by_text("Your seat is held until")).to_have_count(0)
    _look(page, tmp_path, "back-after-paying", width)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_refunded_receipt_shows_each_money_movement(
    live_server, page: Page, tmp_path: Path, width, height
):
    now = timezone.now()
    learner = licensed_learner()
    offering = catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40))
    held = enrollment_hold(learner=learner, offering_id=offering.pk, now=now)
    payment_start(learner=learner, enrollment_id=held.pk, card_id=card_token(VISA), now=now)
    enrollment_cancel(learner=learner, enrollment_id=held.pk, now=now)
    page.set_viewport_size({"width": width, "height": height})

    _sign_in(page, live_server, learner, f"/me/payments/{held.payments.get().pk}/receipt/")

    expect(page.get_by_role("heading", name="Refunds")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Learner cancelled")).to_contain_text("−$895")
    expect(page.get_by_text("Kept after refunds: $0")).to_be_visible()
    _look(page, tmp_path, "refunded-receipt", width)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_profile_offers_a_state_and_a_pending_license_to_correct(
    live_server, page: Page, tmp_path: Path, width, height
):
    learner = licensed_learner()
    license = License.objects.get(learner=learner)
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server, learner, "/me/profile/")

    page.get_by_label("State", exact=True).select_option("VA")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("State", exact=True)).to_have_value("VA")
    _look(page, tmp_path, "profile", width)
    page.get_by_role("link", name="Correct or withdraw").click()
    page.get_by_label("License number").fill("0101-999999")
    page.get_by_role("button", name="Save the correction").click()

    expect(page.get_by_role("cell", name="PT 0101-999999", exact=True)).to_be_visible()
    page.get_by_role("link", name="Correct or withdraw").click()
    _look(page, tmp_path, "license-correct", width)
    page.get_by_role("button", name="Withdraw this license").click()
    expect(page.get_by_text("License withdrawn.")).to_be_visible()
    assert not License.objects.filter(pk=license.pk).exists()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_revoked_certificate_offers_neither_credential_nor_linkedin(
    live_server, page: Page, tmp_path: Path, width, height, program, instructor, registrar
):
    learner = UserFactory()
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
    certificate_set_status(certificate_id=certificate.pk, valid=False,
                           reason="License found to be forged", registrar=registrar)  # fmt: skip
    page.set_viewport_size({"width": width, "height": height})

    _sign_in(page, live_server, learner, f"/me/certificates/{certificate.pk}/")

    expect(page.get_by_text("This certificate was revoked")).to_be_visible()
    expect(page.get_by_role("link", name="Add to LinkedIn profile")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the verifiable credential")).to_have_count(0)
    _look(page, tmp_path, "revoked-certificate", width)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_class_under_way_reads_under_way_and_offers_no_enrollment(
    live_server, page: Page, tmp_path: Path, width, height
):
    offering = catalog_offering(first_day=dt.date.today() - dt.timedelta(days=1))
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server, licensed_learner(), f"/offerings/{offering.pk}/")

    expect(page.locator(".availability")).to_have_text("Under way")
    expect(page.get_by_role("button", name="Enroll and pay")).to_have_count(0)
    _look(page, tmp_path, "offering-under-way", width)
