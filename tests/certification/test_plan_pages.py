"""The pathway planner through the database and real HTTP: My plan, Hold these seats, the
calculator's planner and `POST /api/v1/plans/` (issue 18 §1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courses.models import Enrollment
from learners.ledger import hours_entry_record
from learners.models import LearnerProfile, License, Profession
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2027, 1, 4, 15, 0, tzinfo=dt.UTC)
PLANS = "/api/v1/plans/"


@pytest.fixture
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


@pytest.fixture
def catalog(today, other_learner):
    """DN-1 on 1 February; DN-2 on 8 February (full: one seat, taken) and on 1 March; a
    cancelled and a draft DN-1 sooner, which no plan may use."""
    dn1, dn2 = catalog_course("DN-1"), catalog_course("DN-2")
    denver = catalog_venue("Denver", "CO", "America/Denver")
    offerings = {
        "dn1": catalog_offering(course=dn1, first_day=dt.date(2027, 2, 1)),
        "dn2_full": catalog_offering(course=dn2, venue=denver, first_day=dt.date(2027, 2, 8),
                                     capacity=1),
        "dn2": catalog_offering(course=dn2, first_day=dt.date(2027, 3, 1)),
        "cancelled": catalog_offering(course=dn1, first_day=dt.date(2027, 1, 18),
                                      status="cancelled"),
        "draft": catalog_offering(course=dn1, first_day=dt.date(2027, 1, 25), status="draft"),
    }  # fmt: skip
    Enrollment.objects.create(
        learner=other_learner, offering=offerings["dn2_full"], status="confirmed"
    )
    return offerings


@pytest.fixture
def md_learner(learner, instructor, today):
    """A PT licensed in Maryland and Virginia since 2019, with 27 hours in person from
    September 2026 on record."""
    pt = Profession.objects.get(code="PT")
    LearnerProfile.objects.create(user=learner, legal_name="Lena Ortiz", profession=pt)
    for code in ("MD", "VA"):
        License.objects.create(
            learner=learner, profession=pt, jurisdiction=code, number=f"{code}-1",
            issued_on=dt.date(2019, 6, 1), expires_on=dt.date(2029, 1, 1), status="verified",
        )  # fmt: skip
    for day in (14, 15, 16):
        hours_entry_record(
            learner=learner, date=dt.date(2026, 9, day), hours=Decimal(9), mode="in_person",
            source="course_day", recorded_by=instructor, today=today,
        )  # fmt: skip
    return learner


def _text(response) -> str:
    import re

    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_my_plan_plans_the_licensed_states_with_a_waitlist_where_full(
    client, rules, catalog, md_learner
):
    client.force_login(md_learner)

    page = _text(client.get("/me/plan/"))

    # 27 on record + DN-1 (1-3 Feb) + DN-2 (8-10 Feb, full): Maryland's 80 hours on 10 Feb.
    assert "The cheapest and earliest plan: eligible on 10 February 2027" in page
    assert "Book 2 courses for $1,790." in page
    assert "DN-2 in Denver, CO, 8 Feb–10 Feb 2027" in page and "Full : join its waitlist" in page
    assert "Wed 3 Feb 2027 Eligible in Virginia (PT)" in page
    assert "Wed 10 Feb 2027 Eligible in Maryland (PT)" in page
    assert "Physical-therapy practice: 7 of 2 years licensed" in page
    assert "Registration with the Board." in page  # a condition outside the tracker
    assert "Richmond" in page and "18 Jan" not in page and "25 Jan" not in page


def test_the_self_check_links_a_not_yet_state_to_its_plan(client, rules, catalog, md_learner):
    client.force_login(md_learner)

    page = client.get("/me/eligibility/").content.decode()

    assert 'href="/me/plan/?states=MD">What to book, and by when: my plan for Maryland' in page
    assert "/me/plan/?states=CA" not in page


def test_a_target_date_and_a_state_no_course_reaches(client, rules, catalog, md_learner):
    client.force_login(md_learner)

    page = _text(client.get("/me/plan/", {"states": ["VA", "NV", "CA"],
                                          "target_date": "2027-02-05"}))  # fmt: skip

    assert "Your plan to be eligible by 5 February 2027" in page
    assert "The cheapest and earliest plan: eligible on 3 February 2027" in page
    assert "In time for 5 February 2027" in page
    assert "California does not permit this profession (PT) to dry needle" in page
    assert "Nevada : even with every course on offer taken once, you would still miss 69" in page


def test_a_target_date_in_the_past_is_refused(client, rules, catalog, md_learner):
    client.force_login(md_learner)

    page = _text(client.get("/me/plan/", {"states": ["VA"], "target_date": "2027-01-03"}))

    assert "Give a date from today on: a plan cannot be ready in the past." in page
    assert "Your plan" not in page


def test_hold_these_seats_holds_the_first_seat_and_joins_the_full_ones_waitlist(
    client, rules, catalog, md_learner
):
    client.force_login(md_learner)

    response = client.post("/me/plan/hold/", {
        "offering": [catalog["dn1"].pk, catalog["dn2_full"].pk], "states": ["MD", "VA"],
    })  # fmt: skip

    held = Enrollment.objects.get(learner=md_learner, offering=catalog["dn1"])
    assert held.status == "held"
    assert (
        response.status_code == 302
        and response["Location"] == f"/me/enrollments/{held.pk}/checkout/"
    )
    waitlisted = Enrollment.objects.get(learner=md_learner, offering=catalog["dn2_full"])
    assert waitlisted.status == "waitlisted"


def test_a_hold_the_gate_refuses_changes_nothing_and_says_why(client, rules, catalog, learner):
    client.force_login(learner)  # no profile, no license

    response = client.post(
        "/me/plan/hold/", {"offering": [catalog["dn1"].pk, catalog["dn2_full"].pk],
                           "states": ["VA"]}, follow=True,
    )  # fmt: skip

    assert not Enrollment.objects.filter(learner=learner).exists()
    assert response.redirect_chain[0][0] == "/me/plan/?states=VA"
    assert "Complete your profile first" in _text(response)


def test_a_hold_without_a_known_offering_changes_nothing(client, rules, catalog, md_learner):
    client.force_login(md_learner)

    response = client.post(
        "/me/plan/hold/", {"offering": ["²", "99999999999999999999", "0"], "states": ["VA"]},
        follow=True,
    )  # fmt: skip

    assert response.status_code == 200
    assert "This plan has nothing to book: make a plan first." in _text(response)
    assert not Enrollment.objects.filter(learner=md_learner).exists()


def test_my_plan_is_for_the_signed_in_learner_only(
    client, rules, catalog, md_learner, other_learner
):
    assert client.get("/me/plan/").status_code == 302
    assert client.post("/me/plan/hold/", {"offering": [catalog["dn1"].pk]}).status_code == 302
    client.force_login(other_learner)

    page = _text(client.get("/me/plan/"))

    assert "Your plan" not in page and "Maryland (PT)" not in page  # not md_learner's states
    assert client.get("/me/plan/hold/").status_code == 405


def test_my_plan_reads_a_fixed_number_of_queries(
    client, rules, catalog, md_learner, django_assert_num_queries
):
    client.force_login(md_learner)
    client.get("/me/plan/")  # the rules are built once per process

    for extra in range(3):
        catalog_offering(course=catalog_course("DN-1"), first_day=dt.date(2027, 4, 5 + 7 * extra))
    with django_assert_num_queries(10):
        # (the user and their roles are kept: accounts/user_cache.py)
        # profile, licenses, ledger (learner_facts);
        # completed courses; courses they hold seats in (none here: no seat query);
        # offerings with their days, instructors and prerequisites; the Wagtail site (menu)
        client.get("/me/plan/")


def test_the_calculator_plans_for_a_visitor_without_storing_anything(client, rules, catalog):
    response = client.get("/calculator/", {
        "profession": "PT", "hours_from": "none", "license_issued": "2019-01-01",
        "states": ["VA", "NV"],
    })  # fmt: skip
    page, html = _text(response), response.content.decode()

    assert "The cheapest and earliest plan: eligible on 10 February 2027" in page  # DN-1 + DN-2
    assert "Sign in to hold these seats" in page
    assert "/accounts/login/?next=/me/plan/%3Fstates%3DVA%26states%3DNV" in html
    assert "Nevada : even with every course on offer taken once, you would still miss 96" in page
    assert not Enrollment.objects.exclude(offering=catalog["dn2_full"]).exists()


def _plan(client, **changes):
    body = {
        "profession": "PT", "jurisdictions": ["VA", "MD", "NV", "CA"],
        "license": {"issued": "2019-05-01"},
        "hours": [{"date": "2026-09-14", "hours": 27, "in_person": True}],
    } | changes  # fmt: skip
    return client.post(PLANS, body, content_type="application/json")


def test_the_plans_api_answers_the_cheapest_plan_and_what_no_offering_reaches(
    client, rules, catalog
):
    response = _plan(client, target_date="2027-03-31")

    assert response.status_code == 200
    body = response.json()
    assert (body["as_of"], body["target_date"], body["earliest"]) == (
        "2027-01-04", "2027-03-31", None,  # the cheapest is also the earliest
    )  # fmt: skip
    plan = body["cheapest"]
    assert [(o["course"], o["first_day"], o["waitlist"]) for o in plan["offerings"]] == [
        ("DN-1", "2027-02-01", False), ("DN-2", "2027-02-08", True),
    ]  # fmt: skip
    assert plan["offerings"][0]["url"] == f"/offerings/{catalog['dn1'].pk}/"
    assert (plan["cost_cents"], plan["ready_on"], plan["meets_target"]) == (
        179000, "2027-02-10", True,
    )  # fmt: skip
    assert {s["jurisdiction"]: s["as_of"] for s in plan["states"]} == {
        "VA": "2027-02-03", "MD": "2027-02-10",
    }  # fmt: skip
    assert [(u["reason"], u["best_case"]["jurisdiction"]) for u in body["unreachable"]] == [
        ("too_few_hours", "NV")
    ]
    assert {v["jurisdiction"]: v["status"] for v in body["now"]}["CA"] == "prohibited"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"jurisdictions": []}, "jurisdictions", "Choose at least one state."),
        ({"jurisdictions": ["VA", "ZZ"]}, "jurisdictions", 'Unknown jurisdiction "ZZ": use a US'),
        ({"target_date": "2027-01-03"}, "target_date", "Give a date from today on"),
        ({"jurisdictions": ["VA"] * 11}, "jurisdictions", "Choose at most 10 states."),
        (
            {"hours": [{"date": "2026-01-01", "hours": 1, "in_person": True}] * 501},
            "hours",
            "At most 500 entries.",
        ),
    ],
)
def test_the_plans_api_names_the_bad_field(client, rules, today, changes, field, message):
    response = _plan(client, **changes)

    assert response.status_code == 400
    assert message in str(response.json()[field])
