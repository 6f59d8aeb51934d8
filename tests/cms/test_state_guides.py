"""State guide pages: one per state and DC, generated with the rule on file around the
editors' text; re-running never overwrites an edited page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cms.models import StateGuidePage
from cms.state_guides import state_guides_ensure

pytestmark = pytest.mark.django_db


def test_every_state_gets_a_guide_showing_its_rule_and_sources(client, rules):
    out = io.StringIO()
    call_command("create_state_guides", stdout=out)

    assert "State guides created: 51." in out.getvalue()
    page = client.get("/states/virginia/").content.decode()
    assert "Dry needling in Virginia" in page
    assert "Post-professional dry-needling training</strong>:" in page and "54 hours" in page
    assert "A written referral specific to dry needling." in page
    assert "In effect since 1 January 2020." in page and "Last reviewed 23 November 2026." in page
    assert "50 hours, 50 of them in person" in client.get("/states/georgia/").content.decode()
    assert "✕ Prohibited" in client.get("/states/california/").content.decode()
    assert "No rule on file" in client.get("/states/alabama/").content.decode()
    index = client.get("/states/").content.decode()
    listing = index[index.index('class="state-list"') :]
    assert listing.count('<li><a href="/states/') == 51


def test_editors_text_is_kept_when_guides_are_ensured_again(client, rules):
    state_guides_ensure()
    guide = StateGuidePage.objects.get(jurisdiction="VA")
    guide.intro = "<p>Virginia asks for a referral: plan for it.</p>"
    guide.save_revision().publish()

    assert state_guides_ensure() == 0

    assert "Virginia asks for a referral" in client.get("/states/virginia/").content.decode()
