"""A newcomer signs up, follows the emailed link, logs in, completes the profile step;
the pages pass axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

PASSWORD = "a-long-enough-passphrase-2026"

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_newcomer_signs_up_verifies_and_logs_in(live_server, page: Page):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)

    page.get_by_label("Email").fill("newcomer@example.test")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("newcomer@example.test")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert_accessible(page)
    page.get_by_label("Legal name").fill("Nora Newcomer")
    page.get_by_label("Profession").select_option(label="Physical therapist (PT)")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("link", name="My account")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dry needling courses and certification"
    )
    assert_accessible(page)
