"""The API exactly as DESIGN.md 4 says: evaluate one jurisdiction or ALL, the rules on file,
the learner's own eligibility; a message per bad field; rate limited."""

from __future__ import annotations

import pytest
from django.core.cache import cache

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
        URL, _request(jurisdiction="ALL", profession="atc"), content_type="application/json"
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
        ("/api/v1/jurisdictions/", "get"): ["200", "400", "429"],
        ("/api/v1/me/eligibility/", "get"): ["200", "400", "403", "429"],
        ("/api/v1/certificates/{code}/", "get"): ["200", "400", "404", "429"],
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
