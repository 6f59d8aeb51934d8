"""The API exactly as DESIGN.md 4 says: evaluate one jurisdiction or ALL, the rules on file,
the learner's own eligibility; a message per bad field; rate limited."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from certification.rules import RULES_FILE
from learners.models import Profession

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/evaluate"


def _request(**changes):
    return {
        "jurisdiction": "VA", "profession": "PT", "as_of": "2026-11-01",
        "license": {"issued": "2019-05-01"},
        "hours": [{"date": "2026-01-10", "hours": 27, "in_person": True},
                  {"date": "2026-03-14", "hours": 27, "in_person": True}],
    } | changes  # fmt: skip


def test_evaluating_virginia_returns_the_verdict_with_its_sources(client, rules):
    response = client.post(URL, _request(), content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("jurisdiction", "profession", "as_of", "status")} == {
        "jurisdiction": "VA", "profession": "PT", "as_of": "2026-11-01", "status": "eligible",
    }  # fmt: skip
    assert body["requirements"] == [{
        "label": "Post-professional dry-needling training", "code": "total_hours",
        "required": 54, "counted": 54, "missing": 0, "met": True, "window": None,
    }]  # fmt: skip
    assert body["conditions"] and body["sources"][0]["url"].startswith("https://")
    assert body["sources"][0]["last_reviewed"] == "2026-11-23"


def test_a_windowed_requirement_reports_its_window(client, rules):
    body = client.post(URL, _request(jurisdiction="IL"), content_type="application/json").json()

    practicum = body["requirements"][0]
    assert (practicum["code"], practicum["met"]) == ("total_hours", True)
    assert practicum["window"] == {"start": "2026-01-10", "end": "2027-01-10"}
    assert body["status"] == "not_yet"  # 84 hours in all are needed


def test_all_returns_one_verdict_per_jurisdiction(client, rules):
    body = client.post(URL, _request(jurisdiction="ALL"), content_type="application/json").json()

    statuses = {r["jurisdiction"]: r["status"] for r in body["results"]}
    assert len(statuses) == 51
    assert (statuses["CA"], statuses["VA"], statuses["MD"], statuses["AL"]) == (
        "prohibited", "eligible", "not_yet", "unknown",
    )  # fmt: skip


def test_a_profession_without_rules_on_file_is_unknown_everywhere(client, rules):
    body = client.post(
        URL, _request(jurisdiction="ALL", profession="do"), content_type="application/json"
    ).json()

    assert {r["status"] for r in body["results"]} == {"unknown"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"jurisdiction": "ZZ"}, "jurisdiction", 'Unknown jurisdiction "ZZ"'),
        ({"jurisdiction": "PR"}, "jurisdiction", 'Unknown jurisdiction "PR"'),
        ({"profession": "XYZ"}, "profession", 'Unknown profession "XYZ"'),
        ({"as_of": "2026-02-30"}, "as_of", "Date has wrong format"),
        ({"license": {"issued": "yesterday"}}, "license", "Date has wrong format"),
    ],
)
def test_bad_fields_get_a_message_each(client, rules, changes, field, message):
    response = client.post(URL, _request(**changes), content_type="application/json")

    assert response.status_code == 400
    assert message in str(response.json()[field])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"date": "2026-01-10", "hours": -1, "in_person": True}, "greater than or equal to 0"),
        ({"date": "2026-01-10", "hours": 1.1, "in_person": True}, "multiple of 0.25"),
        ({"date": "10/01/2026", "hours": 1, "in_person": True}, "Date has wrong format"),
        ({"date": "2026-01-10", "hours": 1}, "This field is required"),
    ],
)
def test_bad_hours_point_at_the_entry(client, rules, entry, message):
    response = client.post(URL, _request(hours=[entry]), content_type="application/json")

    assert response.status_code == 400
    assert message in str(response.json()["hours"]["0"])


def test_more_than_5000_entries_are_refused(client, rules):
    entries = [{"date": "2026-01-10", "hours": 0.25, "in_person": True}] * 5001

    response = client.post(URL, _request(hours=entries), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["hours"] == {
        "non_field_errors": ["At most 5,000 entries."]
    } or "At most 5,000 entries." in str(response.json()["hours"])


def test_the_rules_on_file_are_listed_with_citations(client, rules):
    body = client.get("/api/v1/jurisdictions/").json()

    virginia = next(r for r in body["results"] if r["jurisdiction"] == "VA")
    assert virginia["status"] == "permitted" and virginia["effective_date"] == "2020-01-01"
    assert virginia["requirements"][0]["min_total_hours"] == 54
    assert all(c["url"] for c in virginia["citations"])


def test_my_eligibility_uses_the_learners_ledger_and_licenses(client, rules, tn_learner):
    client.force_login(tn_learner)

    body = client.get("/api/v1/me/eligibility/").json()

    assert body["licensed_in"] == ["TN"] and body["results"][0]["jurisdiction"] == "TN"
    tennessee = body["results"][0]
    assert [(r["code"], r["counted"], r["met"]) for r in tennessee["requirements"]] == [
        ("total_hours", 27, True),
        ("in_person_hours", 27, True),
        ("prior_practice_years", 1, True),
    ]


def test_my_eligibility_needs_a_login(client, rules):
    assert client.get("/api/v1/me/eligibility/").status_code == 403


def test_the_api_is_rate_limited_and_a_forged_forwarded_for_does_not_escape_it(
    client, rules, settings
):
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/minute"}
    try:
        codes = [
            client.post(URL, _request(), content_type="application/json",
                        HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
            for n in range(4)
        ]  # fmt: skip
    finally:
        AnonRateThrottle.THROTTLE_RATES = {**AnonRateThrottle.THROTTLE_RATES, "anon": "60/minute"}
        cache.clear()
    assert codes == [200, 200, 200, 429]


def test_the_schema_describes_only_the_public_api_and_the_docs_are_served_locally(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/eligibility/evaluate" in schema and "/admin/api" not in schema

    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "https://" not in docs


def test_profession_codes_are_taken_in_any_case_even_a_mixed_case_one(client, rules):
    body = client.post(
        URL, _request(jurisdiction="ALL", profession=" lac "), content_type="application/json"
    ).json()

    assert {(r["profession"], r["status"]) for r in body["results"]} == {("LAc", "unknown")}


def test_dates_outside_1900_to_2100_are_refused_per_field(client, rules):
    response = client.post(
        URL,
        _request(as_of="2101-01-01", license={"issued": "1899-12-31"},
                 hours=[{"date": "9999-12-30", "hours": 9, "in_person": True}]),
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    message = ["Give a date between 1900-01-01 and 2100-12-31."]
    assert response.json() == {
        "as_of": message, "license": {"issued": message}, "hours": {"0": {"date": message}},
    }  # fmt: skip


def test_the_rules_of_an_unknown_profession_are_a_400_not_an_empty_list(client, rules):
    response = client.get("/api/v1/jurisdictions/?profession=XYZ")

    assert response.status_code == 400
    assert 'Unknown profession "XYZ": one of ATC, DC' in response.json()["profession"][0]
    assert client.get("/api/v1/jurisdictions/?profession=ot").status_code == 200


def _schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def test_the_schema_documents_every_answer_an_operation_can_give(client):
    paths = _schema(client)["paths"]

    codes = {
        (path, method): sorted(operation["responses"])
        for path, methods in paths.items() for method, operation in methods.items()
    }  # fmt: skip
    assert codes == {
        ("/api/v1/eligibility/evaluate", "post"): ["200", "400", "403", "415", "429"],
        ("/api/v1/plans/", "post"): ["200", "400", "403", "415", "429"],
        ("/api/v1/jurisdictions/", "get"): ["200", "400", "429"],
        ("/api/v1/me/eligibility/", "get"): ["200", "400", "403", "429"],
        ("/api/v1/certificates/{code}/", "get"): ["200", "400", "404", "429"],
        ("/api/v1/evidence/{code}/", "get"): ["200", "400", "404", "429"],
        ("/api/v1/roster/sync/", "post"): ["200", "400", "403", "415", "429"],
    }


def test_the_schema_lists_the_codes_and_the_limits_the_server_checks(client, rules):
    components = _schema(client)["components"]["schemas"]

    assert components["ProfessionEnum"]["enum"] == [
        "ATC", "DC", "DDS", "DO", "LAc", "MD", "NP", "OT", "PA", "PT", "PTA",
    ]  # fmt: skip
    assert len(components["JurisdictionEnum"]["enum"]) == 52  # 50 states, DC and ALL
    hours = components["Hours"]["properties"]
    assert hours["hours"] | {"description": ""} == {
        "type": "number", "minimum": 0, "maximum": 99999.75, "multipleOf": 0.25, "description": "",
    }  # fmt: skip
    assert hours["date"]["format"] == "date"
    assert components["EvaluateRequest"]["properties"]["hours"]["maxItems"] == 5000
    assert components["EvaluateRequest"]["required"] == ["jurisdiction", "profession"]
    assert components["VerdictShape"]["additionalProperties"] is False
    assert "additionalProperties" not in components["EvaluateRequest"]  # unknown keys ignored


# Every profession the rules on file cover. Each expected verdict is computed by hand from
# the figures in the file (read here, never retyped): required, counted, missing, met.


def _file_rule(jurisdiction: str, profession: str) -> dict:
    rows = json.loads(RULES_FILE.read_text())["rules"]
    return next(
        r for r in rows if (r["jurisdiction"], r["profession"]) == (jurisdiction, profession)
    )


def _day(date: str, hours: float, in_person: bool = True) -> dict:
    return {"date": date, "hours": hours, "in_person": in_person}


DN1_DN2 = [_day("2026-03-14", 27), _day("2026-06-13", 27)]  # 54 hours in person


def _evaluate(client, jurisdiction, profession, hours, *, as_of="2026-11-01", issued=None):
    license = {"issued": issued} if issued else None
    response = client.post(URL, _request(
        jurisdiction=jurisdiction, profession=profession, hours=hours, as_of=as_of,
        license=license,
    ), content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    return response.json()


def _row(code, required, counted, label):
    missing = max(0, required - counted)
    return {"label": label, "code": code, "required": required, "counted": counted,
            "missing": missing, "met": missing == 0, "window": None}  # fmt: skip


def test_maryland_athletic_trainers_need_80_hours_40_in_person(client, rules):
    rule = _file_rule("MD", "ATC")
    (req,) = rule["requirements"]
    total, in_person = req["min_total_hours"], req["min_in_person_hours"]  # 80, 40

    body = _evaluate(client, "MD", "atc", DN1_DN2)

    # 54 in person: the in-person 40 are met, 26 of the 80 are missing.
    assert body["requirements"] == [
        _row("total_hours", total, 54, req["label"]),
        _row("in_person_hours", in_person, 54, req["label"]),
    ]
    assert body["status"] == "not_yet" and body["requirements"][0]["missing"] == total - 54
    online = [*DN1_DN2, _day("2026-09-01", total - 54, in_person=False)]
    body = _evaluate(client, "MD", "ATC", online)
    assert body["status"] == "eligible"
    assert body["requirements"] == [
        _row("total_hours", total, total, req["label"]),
        _row("in_person_hours", in_person, 54, req["label"]),
    ]
    # Eligible never hides what the tracker cannot measure: the board's approval.
    assert body["conditions"] == rule["conditions"] and body["conditions"]
    assert body["last_reviewed"] == rule["last_reviewed"]


def test_nevada_athletic_trainers_need_150_hours_25_of_them_in_person(client, rules):
    (req,) = _file_rule("NV", "ATC")["requirements"]
    total, in_person = req["min_total_hours"], req["min_in_person_hours"]  # 150, 25
    few_in_person = [_day("2026-02-01", in_person - 5), _day("2026-03-01", total, False)]

    body = _evaluate(client, "NV", "ATC", few_in_person)

    # Enough hours in all, but 5 short in person: not yet.
    assert body["status"] == "not_yet"
    assert body["requirements"] == [
        _row("total_hours", total, total + in_person - 5, req["label"]),
        _row("in_person_hours", in_person, in_person - 5, req["label"]),
    ]
    body = _evaluate(client, "NV", "ATC", [*DN1_DN2, _day("2026-09-01", total - 54, False)])
    assert body["status"] == "eligible"
    assert [r["counted"] for r in body["requirements"]] == [total, 54]


def test_florida_chiropractors_need_40_hours(client, rules):
    rule = _file_rule("FL", "DC")
    (req,) = rule["requirements"]
    required = req["min_total_hours"]  # 40; no in-person minimum, so one row

    dn1 = _evaluate(client, "FL", "DC", DN1_DN2[:1])
    both = _evaluate(client, "FL", "DC", DN1_DN2)

    assert dn1["status"] == "not_yet"
    assert dn1["requirements"] == [_row("total_hours", required, 27, req["label"])]
    assert dn1["requirements"][0]["missing"] == required - 27
    assert both["status"] == "eligible" and both["conditions"] == rule["conditions"]
    assert both["requirements"] == [_row("total_hours", required, 54, req["label"])]


def test_mississippi_ots_need_50_hours_in_person_and_3_years_licensed(client, rules):
    hours_req, years_req = _file_rule("MS", "OT")["requirements"]
    in_person, years = hours_req["min_in_person_hours"], years_req["prior_practice_years"]
    issued = "2024-11-02"  # the third anniversary is 2027-11-02

    day_before = _evaluate(client, "MS", "OT", DN1_DN2, as_of="2027-11-01", issued=issued)
    anniversary = _evaluate(client, "MS", "OT", DN1_DN2, as_of="2027-11-02", issued=issued)
    online = _evaluate(client, "MS", "OT", [DN1_DN2[0], _day("2026-06-13", 27, False)],
                       as_of="2027-11-02", issued=issued)  # fmt: skip
    unlicensed = _evaluate(client, "MS", "OT", DN1_DN2, as_of="2027-11-02")

    assert day_before["requirements"] == [
        _row("total_hours", hours_req["min_total_hours"], 54, hours_req["label"]),
        _row("in_person_hours", in_person, 54, hours_req["label"]),
        _row("prior_practice_years", years, years - 1, years_req["label"]),
    ]
    assert day_before["status"] == "not_yet" and anniversary["status"] == "eligible"
    assert anniversary["requirements"][2]["counted"] == years
    # Online hours are no face-to-face instruction: 27 of the 50 in person.
    assert online["status"] == "not_yet"
    assert online["requirements"][1] == _row("in_person_hours", in_person, 27, hours_req["label"])
    assert unlicensed["requirements"][2]["counted"] == 0 and unlicensed["status"] == "not_yet"


def test_illinois_athletic_trainers_report_each_requirement_without_a_window(client, rules):
    practicum, with_didactic = _file_rule("IL", "ATC")["requirements"]

    body = _evaluate(client, "IL", "ATC", DN1_DN2)

    # 54 hours meet the practicum (54) but not practicum plus didactic (84).
    assert body["requirements"] == [
        _row("total_hours", practicum["min_total_hours"], 54, practicum["label"]),
        _row("total_hours", with_didactic["min_total_hours"], 54, with_didactic["label"]),
    ]
    assert [r["met"] for r in body["requirements"]] == [True, False]
    assert body["status"] == "not_yet"


def test_a_pta_in_a_prohibited_state_is_prohibited_with_its_source(client, rules):
    rows = json.loads(RULES_FILE.read_text())["rules"]
    prohibited = {r["jurisdiction"] for r in rows if r["profession"] == "PTA"
                  and r["status"] == "prohibited"}  # fmt: skip

    body = _evaluate(client, "ALL", "PTA", DN1_DN2)
    florida = _evaluate(client, "FL", "PTA", DN1_DN2)

    assert (
        prohibited
        and {r["jurisdiction"] for r in body["results"] if r["status"] == "prohibited"}
        == prohibited
    )
    assert florida["status"] == "prohibited" and florida["requirements"] == []
    assert florida["sources"][0]["url"] == _file_rule("FL", "PTA")["citations"][0]["url"]


def test_a_physician_without_a_row_is_unknown_not_eligible(client, rules):
    body = _evaluate(client, "MD", "MD", DN1_DN2)

    assert body["status"] == "unknown"
    assert (body["requirements"], body["sources"]) == ([], [])


@pytest.mark.parametrize("profession", ["PT", "PTA", "ATC", "DC", "MD", "DO", "DDS", "NP", "PA",
                                        "OT", "LAc"])  # fmt: skip
def test_all_answers_51_jurisdictions_for_every_profession(client, rules, profession):
    rows = json.loads(RULES_FILE.read_text())["rules"]
    on_file = {r["jurisdiction"]: r["status"] for r in rows if r["profession"] == profession}

    body = _evaluate(client, "ALL", profession, DN1_DN2)

    assert len(body["results"]) == 51
    assert len({r["jurisdiction"] for r in body["results"]}) == 51
    for verdict in body["results"]:
        status = on_file.get(verdict["jurisdiction"], "no_rule")
        expected = {"prohibited": {"prohibited"}, "no_rule": {"unknown"},
                    "permitted": {"eligible", "not_yet"}}[status]  # fmt: skip
        assert verdict["status"] in expected and verdict["profession"] == profession


def test_an_unknown_profession_is_a_400_naming_every_accepted_code(client, rules):
    response = client.post(URL, _request(profession="RN"), content_type="application/json")

    assert response.status_code == 400
    message = response.json()["profession"][0]
    codes = list(Profession.objects.values_list("code", flat=True))
    assert message.startswith('Unknown profession "RN": one of ')
    assert all(code in message for code in codes) and {"ATC", "DC", "PTA", "OT"} <= set(codes)


def test_a_repeated_evaluation_is_answered_from_the_kept_answer_without_a_query(
    client, rules, monkeypatch, django_assert_num_queries
):
    first = client.post(URL, _request(jurisdiction="ALL"), content_type="application/json")
    # The same question again: neither the rules nor the verdicts are worked out anew.
    monkeypatch.setattr("certification.api.rules_on_file", _must_not_be_called)
    monkeypatch.setattr("certification.api.evaluate_all", _must_not_be_called)

    with django_assert_num_queries(0):
        again = client.post(URL, _request(jurisdiction="ALL"), content_type="application/json")

    assert (again.status_code, again["Content-Type"]) == (200, "application/json")
    assert again.json() == first.json() and len(again.json()["results"]) == 51


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("a kept answer was worked out again")


def test_a_rule_change_shows_at_once_in_the_next_identical_evaluation(client, rules, tmp_path):
    from certification.rules import rules_load
    from tests.certification.helpers import rules_file_changed

    before = client.post(URL, _request(), content_type="application/json").json()
    assert "A referral from the board itself." not in before["conditions"]
    rules_load(
        rules_file_changed(tmp_path, "VA", "PT", conditions=["A referral from the board itself."])
    )

    after = client.post(URL, _request(), content_type="application/json").json()
    assert after["conditions"] == ["A referral from the board itself."]


def test_a_new_profession_is_taken_at_once_though_the_codes_are_kept(client, rules):
    assert (
        client.post(URL, _request(profession="RN"), content_type="application/json").status_code
        == 400
    )

    Profession.objects.create(code="RN", name="Registered nurse")

    body = client.post(URL, _request(profession="RN"), content_type="application/json").json()
    assert (body["profession"], body["status"]) == ("RN", "unknown")


def test_a_bad_request_is_never_kept_and_stays_a_400(client, rules, monkeypatch):
    kept = []
    keep = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **kw: kept.append(key) or keep(key, *a, **kw))
    bad = _request(as_of="2026-02-30")

    answers = [client.post(URL, bad, content_type="application/json") for _ in range(2)]

    assert [a.status_code for a in answers] == [400, 400]
    assert all("Date has wrong format" in str(a.json()["as_of"]) for a in answers)
    assert not [key for key in kept if key.startswith("api:evaluate:")]
    assert client.post(URL, _request(), content_type="application/json").status_code == 200
    assert [key for key in kept if key.startswith("api:evaluate:")]  # the control


def test_the_same_body_again_is_answered_before_it_is_read_or_validated(client, rules, monkeypatch):
    body = json.dumps(_request(jurisdiction="ALL"))
    first = client.post(URL, body, content_type="application/json")
    monkeypatch.setattr("certification.api.JSONBodyParser.parse", _must_not_be_called)
    monkeypatch.setattr("certification.api.EvaluateRequestSerializer.is_valid", _must_not_be_called)

    again = client.post(URL, body, content_type="application/json")

    assert (again.status_code, again["Content-Type"]) == (200, "application/json")
    assert again.content == first.content


def test_the_same_question_in_other_bytes_is_read_and_answered_alike(client, rules):
    first = client.post(URL, json.dumps(_request()), content_type="application/json")

    spaced = client.post(URL, json.dumps(_request(), indent=4), content_type="application/json")

    assert spaced.json() == first.json()


def test_a_kept_answer_is_not_served_to_a_signed_in_caller_without_the_csrf_token(rules, learner):
    from django.test import Client

    body = json.dumps(_request())
    assert Client().post(URL, body, content_type="application/json").status_code == 200
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(learner)

    refused = signed_in.post(URL, body, content_type="application/json")

    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_a_body_that_is_not_json_is_refused_though_the_same_bytes_are_kept_as_json(client, rules):
    body = json.dumps(_request())
    assert client.post(URL, body, content_type="application/json").status_code == 200

    refused = client.post(URL, body, content_type="text/plain")

    assert refused.status_code == 415
