"""A learner who opens the admin lands on their own page with one message, instead of a
redirect loop (ERR_TOO_MANY_REDIRECTS) and a stack of refusals (issue 16)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.middleware import ADMIN_NOT_FOR_YOU
from learners.models import LearnerProfile, Profession
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_opening_the_admin_lands_on_their_progress_page(live_server, page: Page):
    learner = UserFactory(email="lena@example.test")
    LearnerProfile.objects.create(
        user=learner, legal_name="Lena Ortiz", profession=Profession.objects.get(code="PT")
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email:").fill(learner.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(live_server.url + "/admin/")

    assert page.url == live_server.url + "/me/"
    expect(page.locator(".message")).to_have_count(1)
    expect(page.locator(".message")).to_have_text(ADMIN_NOT_FOR_YOU)
    assert_accessible(page)
