"""Rules on file: loaded from the researched file (never invented), re-loaded with history,
bad files refused whole; registrars edit them in the admin and every change is kept."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.test.utils.form_data import nested_form_data, streamfield

from certification.models import JurisdictionRule
from certification.rules import RULES_FILE, rules_for_profession

pytestmark = pytest.mark.django_db


def test_load_rules_loads_every_jurisdiction_from_the_file(db):
    out = io.StringIO()
    call_command("load_rules", stdout=out)

    assert "51 new, 0 changed, 0 unchanged" in out.getvalue()
    virginia = JurisdictionRule.objects.get(jurisdiction="VA")
    assert (virginia.status, virginia.effective_date.isoformat()) == ("permitted", "2020-01-01")
    assert virginia.requirements[0].value["min_total_hours"] == 54
    assert virginia.citations[0].value["url"].startswith("https://")


def test_jurisdictions_without_a_rule_stay_no_rule(db):
    assert {r.status for r in rules_for_profession("PT")} == {"no_rule"}  # nothing loaded yet
    call_command("load_rules", stdout=io.StringIO())

    rules = {r.jurisdiction: r for r in rules_for_profession("PT")}
    assert len(rules) == 51 and rules["AL"].status == "no_rule" and not rules["AL"].requirements
    assert {r.status for r in rules_for_profession("DC")} == {
        "no_rule"
    }  # no chiropractic rules on file


def test_reloading_an_updated_file_keeps_the_history(db, tmp_path):
    call_command("load_rules", stdout=io.StringIO())
    data = json.loads(RULES_FILE.read_text())
    virginia = next(r for r in data["rules"] if r["jurisdiction"] == "VA")
    virginia["requirements"][0]["min_total_hours"] = 60
    updated = tmp_path / "rules.json"
    updated.write_text(json.dumps(data))
    out = io.StringIO()

    call_command("load_rules", file=updated, stdout=out)

    assert "0 new, 1 changed, 50 unchanged" in out.getvalue()
    rule = JurisdictionRule.objects.get(jurisdiction="VA")
    versions = list(rule.history.order_by("history_date"))
    assert len(versions) == 2
    assert versions[0].requirements[0].value["min_total_hours"] == 54
    assert versions[1].requirements[0].value["min_total_hours"] == 60
    assert versions[1].history_change_reason.startswith("Loaded from rules.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(jurisdiction="ZZ"), "unknown jurisdiction 'ZZ'"),
        (lambda r: r.update(status="maybe"), "status must be one of"),
        (lambda r: r["requirements"][0].update(min_total_hours=-4), "not a non-negative multiple"),
        (lambda r: r["requirements"][0].update(window_months=0), "window_months must be"),
        (lambda r: r.update(effective_date="1 Jan 2020"), "is not a date"),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_problems(db, tmp_path, change, message):
    data = json.loads(RULES_FILE.read_text())
    change(next(r for r in data["rules"] if r["jurisdiction"] == "VA"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))

    with pytest.raises(CommandError, match=message):
        call_command("load_rules", file=bad, stdout=io.StringIO())
    assert not JurisdictionRule.objects.exists()


def test_a_registrar_edits_a_rule_and_the_change_is_kept(client, registrar, rules):
    rule = JurisdictionRule.objects.get(jurisdiction="VA")
    client.force_login(registrar)
    data = nested_form_data({
        "jurisdiction": "VA", "name": "Virginia", "profession": rule.profession_id,
        "status": "permitted", "conditions": "A written referral.", "notes": "",
        "effective_date": "2020-01-01", "last_reviewed": "2026-12-01",
        "requirements": streamfield([("requirement", {
            "label": "Post-professional training", "min_total_hours": "60",
            "min_in_person_hours": "0", "window_months": "", "prior_practice_years": "",
        })]),
        "citations": streamfield([("citation", {
            "url": "https://www.dhp.virginia.gov/", "title": "Board of Physical Therapy",
            "date": "2026", "quote": "",
        })]),
    })  # fmt: skip

    response = client.post(f"/admin/snippets/certification/jurisdictionrule/edit/{rule.pk}/", data)

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.requirements[0].value["min_total_hours"] == 60
    latest = rule.history.latest()
    assert latest.history_user == registrar
    page = client.get(f"/admin/rules/{rule.pk}/changes/").content.decode()
    assert str(registrar) in page
    assert "A written referral." in page


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_see_rule_changes(client, request, rules, persona):
    client.force_login(request.getfixturevalue(persona))
    rule = JurisdictionRule.objects.get(jurisdiction="VA")

    response = client.get(f"/admin/rules/{rule.pk}/changes/")

    assert response.status_code in (302, 403)
