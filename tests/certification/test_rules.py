"""Rules on file: loaded from the researched file (never invented), re-loaded with history,
bad files refused whole; registrars edit them in the admin and every change is kept."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from wagtail.test.utils.form_data import nested_form_data, streamfield

from certification.models import JurisdictionRule
from certification.review import rules_due_for_review
from certification.rules import RULES_FILE, rules_for_profession, rules_save
from config.dates import provider_today
from learners.models import Profession

pytestmark = pytest.mark.django_db


def _file_rules() -> list[dict]:
    return json.loads(RULES_FILE.read_text())["rules"]


def test_the_projects_copy_is_the_researched_file():
    # The research lives in ../shared beside the repository (a worktree sits one deeper).
    copies = [p / "shared" / "data" / RULES_FILE.name for p in RULES_FILE.parents[2:5]]
    shared = next((p for p in copies if p.exists()), None)
    if shared is None:
        pytest.skip("the shared research folder is not beside this checkout")
    assert RULES_FILE.read_bytes() == shared.read_bytes()


def test_load_rules_loads_every_row_of_the_file_for_every_profession(db):
    rows = _file_rules()
    out = io.StringIO()
    call_command("load_rules", stdout=out)

    assert f"{len(rows)} new, 0 changed, 0 unchanged" in out.getvalue()
    loaded = {
        (r.jurisdiction, r.profession.code): r
        for r in JurisdictionRule.objects.select_related("profession")
    }
    assert set(loaded) == {(r["jurisdiction"], r["profession"]) for r in rows}
    for row in rows:
        rule = loaded[(row["jurisdiction"], row["profession"])]
        assert rule.status == row["status"] and rule.condition_list == row["conditions"]
        assert [b.value["url"] for b in rule.citations] == [c["url"] for c in row["citations"]]
        assert str(rule.last_reviewed) == row["last_reviewed"]
        assert rule.history.count() == 1
    virginia = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    assert (virginia.status, virginia.effective_date.isoformat()) == ("permitted", "2020-01-01")
    assert virginia.requirements[0].value["min_total_hours"] == 54
    assert virginia.citations[0].value["url"].startswith("https://")


def test_loading_the_same_file_again_changes_nothing(db):
    call_command("load_rules", stdout=io.StringIO())
    out = io.StringIO()

    call_command("load_rules", stdout=out)

    assert f"0 new, 0 changed, {len(_file_rules())} unchanged" in out.getvalue()
    assert JurisdictionRule.history.count() == len(_file_rules())


def test_jurisdictions_without_a_rule_stay_no_rule(db):
    assert {r.status for r in rules_for_profession("PT")} == {"no_rule"}  # nothing loaded yet
    call_command("load_rules", stdout=io.StringIO())

    rules = {r.jurisdiction: r for r in rules_for_profession("PT")}
    assert len(rules) == 51 and rules["AL"].status == "no_rule" and not rules["AL"].requirements
    # A profession with no row anywhere (physicians) is no_rule in all 51.
    physicians = rules_for_profession("MD")
    assert len(physicians) == 51 and {r.status for r in physicians} == {"no_rule"}


def test_reloading_an_updated_file_keeps_the_history(db, tmp_path):
    call_command("load_rules", stdout=io.StringIO())
    data = json.loads(RULES_FILE.read_text())
    virginia = next(
        r for r in data["rules"] if (r["jurisdiction"], r["profession"]) == ("VA", "PT")
    )
    virginia["requirements"][0]["min_total_hours"] = 60
    updated = tmp_path / "rules.json"
    updated.write_text(json.dumps(data))
    out = io.StringIO()

    call_command("load_rules", file=updated, stdout=out)

    assert f"0 new, 1 changed, {len(data['rules']) - 1} unchanged" in out.getvalue()
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
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
        (lambda r: r.update(profession="XX"), "rule MD XX: unknown profession 'XX'"),
        (
            lambda r: r["requirements"][0].update(min_total_hours=None, min_in_person_hours=0),
            "rule MD ATC, requirement 1: a requirement needs an hour minimum or years",
        ),
        (
            lambda r: r["requirements"][0].update(min_in_person_hours=81),
            "more hours in person (81) than in all (80)",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_its_problems(db, tmp_path, change, message):
    data = json.loads(RULES_FILE.read_text())
    change(next(r for r in data["rules"] if (r["jurisdiction"], r["profession"]) == ("MD", "ATC")))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_rules", file=bad, stdout=io.StringIO())
    assert not JurisdictionRule.objects.exists()


def test_a_registrar_edits_a_rule_and_the_change_is_kept(client, registrar, rules):
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
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


def test_a_registrar_adds_a_rule_for_a_profession_without_one(client, registrar, rules):
    physician = Profession.objects.get(code="DO")
    client.force_login(registrar)
    data = nested_form_data({
        "jurisdiction": "VA", "name": "Virginia", "profession": physician.pk,
        "status": "prohibited", "conditions": "", "notes": "", "effective_date": "",
        "last_reviewed": "2026-12-01", "requirements": streamfield([]),
        "citations": streamfield([("citation", {
            "url": "https://www.dhp.virginia.gov/medicine/", "title": "Board of Medicine",
            "date": "2026", "quote": "",
        })]),
    })  # fmt: skip

    response = client.post("/admin/snippets/certification/jurisdictionrule/add/", data)

    assert response.status_code == 302
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession=physician)
    assert rule.history.get().history_user == registrar  # its first version, and who
    assert {r.jurisdiction: r.status for r in rules_for_profession("DO")}["VA"] == "prohibited"


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_see_rule_changes(client, request, rules, persona):
    client.force_login(request.getfixturevalue(persona))
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")

    response = client.get(f"/admin/rules/{rule.pk}/changes/")

    assert response.status_code in (302, 403)


def test_registrars_see_the_rules_not_reviewed_within_12_months(client, registrar, rules):
    today = provider_today()
    year_ago = today - relativedelta(months=12)
    stale = JurisdictionRule.objects.get(jurisdiction="NV", profession__code="ATC")
    just_in_time = JurisdictionRule.objects.get(jurisdiction="FL", profession__code="DC")
    never = JurisdictionRule.objects.get(jurisdiction="MS", profession__code="OT")
    stale.last_reviewed = year_ago - dt.timedelta(days=1)
    just_in_time.last_reviewed = year_ago  # exactly 12 months ago: still within
    never.last_reviewed = None
    rules_save(changed=[stale, just_in_time, never], reason="Reviewed")
    client.force_login(registrar)

    page = client.get("/admin/rules/due/").content.decode()

    due = {(r.jurisdiction, r.profession.code) for r in rules_due_for_review(today=today)}
    # The rest of the file is due only once its own review is over 12 months old.
    old = {
        (r["jurisdiction"], r["profession"])
        for r in _file_rules()
        if dt.date.fromisoformat(r["last_reviewed"]) < year_ago
    }
    assert due == ({("NV", "ATC"), ("MS", "OT")} | old) - {("FL", "DC")}
    assert page.index("Mississippi (MS)") < page.index("Nevada (NV)")  # never reviewed first
    assert page.count("/admin/snippets/certification/jurisdictionrule/edit/") == len(due)


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_see_the_rules_due_for_review(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/admin/rules/due/").status_code in (302, 403)


def test_a_rules_admin_page_shows_when_it_was_last_reviewed(client, registrar, rules):
    rule = JurisdictionRule.objects.get(jurisdiction="MD", profession__code="ATC")
    client.force_login(registrar)

    page = client.get(f"/admin/snippets/certification/jurisdictionrule/edit/{rule.pk}/")
    listing = client.get(
        "/admin/snippets/certification/jurisdictionrule/?profession=" + str(rule.profession_id)
    )

    assert 'value="2026-12-01"' in page.content.decode()
    assert "Last reviewed" in listing.content.decode()
