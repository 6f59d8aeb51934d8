"""An athletic trainer and a chiropractor, at desktop and phone widths: the calculator answers
every state for the profession chosen first (table and map), "Eligible if" shows its
conditions in the same row, and the self-check answers each license for its own profession.
axe on every page; screenshots in $SCREENSHOT_DIR (default: the pytest tmp dir)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import INSTRUCTOR, LEARNER
from certification.rules import rules_load
from config.dates import provider_today
from learners.ledger import hours_entry_record
from learners.models import LearnerProfile, License, Profession
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory, catalog_course

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# Per profession: a state with an hour rule, one "eligible if" with 54 hours in person, one
# prohibited, and the licensed state the self-check answers first. The statuses follow from
# the rules file (tests/certification/test_api.py computes them from its figures).
CASES = {
    "ATC": {"name": "Athletic trainer (ATC)", "not_yet": ("Maryland", "26 more hours"),
            "eligible_if": ("North Carolina", "NC"), "prohibited": "New York",
            "licensed": ("NV", "Nevada", "Not yet")},
    "DC": {"name": "Chiropractor (DC)", "not_yet": ("Texas", "46 more hours"),
           "eligible_if": ("Florida", "FL"), "prohibited": "Oregon",
           "licensed": ("FL", "Florida", "Eligible if")},
}  # fmt: skip


@pytest.fixture
def site(live_server) -> str:
    rules_load()
    catalog_course("DN-1"), catalog_course("DN-2")
    return live_server.url


def _shot(page: Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("profession", CASES)
def test_a_visitor_checks_every_state_for_their_profession(
    site: str, page: Page, profession: str, width: str, tmp_path: Path
):
    case = CASES[profession]
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(site + "/calculator/")
    assert_accessible(page)
    page.get_by_label("Profession").select_option(profession)
    page.get_by_label("DN-1 and DN-2 (54 hours in person)").check()
    page.get_by_role("button", name="Check every state").click()

    expect(page.get_by_role("heading", name=f"Every state for: {case['name']}")).to_be_visible()
    state, missing = case["not_yet"]
    expect(page.get_by_role("row", name=state, exact=False).first).to_contain_text(missing)
    name, code = case["eligible_if"]
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
    expect(row).to_contain_text("Eligible if")  # the conditions in the same row
    expect(row.locator(".eligible-if li").first).to_be_visible()
    prohibited = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=case["prohibited"], exact=True)
    )
    expect(prohibited).to_contain_text(f"Ask the {case['prohibited']} board")
    expect(prohibited.get_by_role("link")).to_have_count(1)
    expect(page.locator("svg[role=img] g.tile")).to_have_count(51)
    tile = page.locator("g.tile", has=page.locator("text.tile__code", has_text=code))
    expect(tile).to_have_class("tile tile--eligible_if")
    assert_accessible(page)
    _shot(page, f"calculator-{profession}-{width}", tmp_path)


@pytest.fixture
def licensed(site: str):
    """A learner per profession, licensed in its case's state, with 54 hours in person."""
    today = provider_today()
    instructor = UserFactory(roles=[INSTRUCTOR])

    def make(profession: str):
        learner = UserFactory(roles=[LEARNER])
        job = Profession.objects.get(code=profession)
        LearnerProfile.objects.create(user=learner, legal_name="Robin Hale", profession=job)
        License.objects.create(
            learner=learner, profession=job, jurisdiction=CASES[profession]["licensed"][0],
            number=f"{profession}-1", issued_on=today - dt.timedelta(days=3000),
            expires_on=today + dt.timedelta(days=700), status="verified",
        )  # fmt: skip
        for n in range(6):
            hours_entry_record(
                learner=learner, date=today - dt.timedelta(days=90 + n), hours=Decimal(9),
                mode="in_person", source="course_day", recorded_by=instructor, today=today,
            )  # fmt: skip
        return learner

    return make


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("profession", CASES)
def test_a_learner_sees_their_license_answered_for_its_profession(
    site: str, page: Page, licensed, profession: str, width: str, tmp_path: Path
):
    learner = licensed(profession)
    _, state, status = CASES[profession]["licensed"]
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(f"{site}/accounts/login/?next=/me/eligibility/")
    page.get_by_label("Email:").fill(learner.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    first = page.locator("section.verdict").first
    expect(first.get_by_role("heading", level=2)).to_contain_text(f"{state} as {profession}")
    expect(first.locator(".badge.status")).to_contain_text(status)
    if status == "Eligible if":
        expect(first.locator(".eligible-if li").first).to_be_visible()
    else:  # Nevada: 150 hours, 25 in person; 54 counted
        expect(first.get_by_role("cell", name="96", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=f"{state} (your {profession} license)")).to_be_visible()
    assert_accessible(page)
    _shot(page, f"self-check-{profession}-{width}", tmp_path)
