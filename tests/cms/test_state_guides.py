"""State guide pages: one per state and DC, generated with the rule on file around the
editors' text; re-running never overwrites an edited page."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from certification.rules import RULES_FILE
from cms.models import StateGuidePage
from cms.state_guides import state_guides_ensure
from learners.models import LearnerProfile, Profession

pytestmark = pytest.mark.django_db


def test_every_state_gets_a_guide_showing_its_rule_and_sources(client, rules):
    out = io.StringIO()
    call_command("create_state_guides", stdout=out)

    assert "State guides created: 51." in out.getvalue()
    page = client.get("/states/virginia/").content.decode()
    assert "Dry needling in Virginia" in page
    assert "Post-professional dry-needling training</strong>:" in page and "54 hours" in page
    assert "A written referral specific to dry needling." in page
    assert "Last reviewed 23 November 2026. In effect since 1 January 2020." in page
    assert "50 hours, 50 of them in person" in client.get("/states/georgia/").content.decode()
    assert "✕ Prohibited" in client.get("/states/california/").content.decode()
    assert "No rule on file" in client.get("/states/alabama/").content.decode()
    index = client.get("/states/").content.decode()
    assert index.count('<th scope="row"><a href="/states/') == 51
    assert '<th scope="col">ATC</th>' in index and '<th scope="col">OT</th>' in index


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="panel" id="rule-(\w+)"', page)


def test_a_guide_has_a_section_per_profession_on_file_the_learners_own_first(
    client, rules, learner
):
    state_guides_ensure()
    on_file = [r["profession"] for r in json.loads(RULES_FILE.read_text())["rules"]
               if r["jurisdiction"] == "MD"]  # fmt: skip

    page = client.get("/states/maryland/").content.decode()
    LearnerProfile.objects.create(
        user=learner, legal_name="Sam Ortiz", profession=Profession.objects.get(code="ATC")
    )
    client.force_login(learner)
    own_first = client.get("/states/maryland/").content.decode()

    assert sorted(_sections(page)) == sorted(on_file) and _sections(page)[0] == "PT"
    assert _sections(own_first)[0] == "ATC" and "your profession" in own_first
    atc = own_first[own_first.index('id="rule-ATC"') : own_first.index("</section>")]
    assert "80 hours, 40 of them in person" in atc and "Eligible if" in atc
    assert "Last reviewed 1 December 2026." in atc
    pta = page[page.index('id="rule-PTA"') :]
    assert "Ask the Maryland board that licenses your profession" in pta[: pta.index("</section>")]


def test_editors_text_is_kept_when_guides_are_ensured_again(client, rules):
    state_guides_ensure()
    guide = StateGuidePage.objects.get(jurisdiction="VA")
    guide.intro = "<p>Virginia asks for a referral: plan for it.</p>"
    guide.save_revision().publish()

    assert state_guides_ensure() == 0

    assert "Virginia asks for a referral" in client.get("/states/virginia/").content.decode()
