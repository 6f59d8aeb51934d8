"""The public calculator (nothing stored) and the learner's self-check, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.models import Enrollment
from learners.models import License, Profession
from tests.factories import catalog_course, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _row(page: str, state: str) -> str:
    start = page.index(f'<th scope="row">{state}</th>')
    return page[start : page.index("</tr>", start)]


def test_the_calculator_answers_for_every_state_with_dn1_and_dn2(client, rules):
    catalog_course("DN-1"), catalog_course("DN-2")

    page = client.get("/calculator/", {"profession": "PT", "hours_from": "both"}).content.decode()

    assert "Every state for: Physical therapist (PT), as of 23 November 2026" in page
    # Virginia asks for a written referral the tracker cannot see: "eligible if", in the row.
    virginia = _row(page, "Virginia")
    assert (
        "✓* Eligible if" in virginia and "A written referral specific to dry needling." in virginia
    )
    assert (
        "Theory (in person or live remote) and hands-on practical training: 26 more hours"
        in _row(page, "Maryland")
    )
    assert "✕ Prohibited" in _row(page, "California")
    assert "No requirement on file." in _row(page, "Alabama")
    assert "Ask the Alabama board that licenses your profession" in _row(page, "Alabama")
    assert page.count('<g class="tile tile--') == 51
    assert '<g class="tile tile--eligible_if">' in page
    assert "<title>Virginia: Eligible if conditions are met (see the table)</title>" in page


def test_dn1_alone_is_not_enough_for_colorados_limited_use(client, rules):
    catalog_course("DN-1")

    page = client.get("/calculator/", {"profession": "PT", "hours_from": "dn1"}).content.decode()

    assert "Before limited clinical use: 3 more hours" in _row(page, "Colorado")


def test_the_calculator_takes_rows_of_hours_and_a_license_date(client, rules):
    page = client.get("/calculator/", {
        "profession": "PT", "hours_from": "rows", "license_issued": "2020-01-01",
        "row0_date": "2026-01-10", "row0_hours": "27", "row0_in_person": "on",
        "row1_date": "2026-06-01", "row1_hours": "27", "row1_in_person": "on",
    }).content.decode()  # fmt: skip

    assert "✓* Eligible if" in _row(page, "Florida")  # 54 face to face, licensed 6 years


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"row0_date": "2026-01-10"}, "Give the date and the hours of this row"),
        (
            {"row0_date": "2026-01-10", "row0_hours": "2.1"},
            "Hours must be a multiple of 0.25 (a quarter hour).",
        ),
        ({"row0_date": "2026-01-10", "row0_hours": "-3"}, "greater than or equal to 0"),
        ({"row0_date": "not a date", "row0_hours": "3"}, "Enter a valid date."),
        ({}, "Add at least one row of hours"),
        (
            {
                "row0_date": "2026-01-10",
                "row0_hours": "27",
                "row1_date": "2099-03-12",
                "row1_hours": "27",
            },
            "Hours cannot be dated in the future (12 March 2099).",
        ),
    ],
)
def test_bad_rows_get_their_message_and_no_results(client, rules, params, message):
    page = client.get(
        "/calculator/", {"profession": "PT", "hours_from": "rows", **params}
    ).content.decode()

    assert message in page
    assert "Every state for:" not in page


def test_the_self_check_shows_licensed_states_first_with_the_projection(client, rules, tn_learner):
    offering = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 3, 14))
    Enrollment.objects.create(learner=tn_learner, offering=offering, status="confirmed")
    client.force_login(tn_learner)

    page = client.get("/me/eligibility/", {"state": "NV"}).content.decode()

    tennessee = page[
        page.index('id="state-TN"') : page.index("</section>", page.index('id="state-TN"'))
    ]
    assert "✓* Eligible if" in tennessee  # 27 h in person, licensed since June 2025
    assert page.index('id="state-TN"') < page.index('id="state-NV"')
    nevada = page[page.index('id="state-NV"') :]
    assert "… Not yet" in nevada and "Didactic education and training in dry needling" in nevada
    assert "you will meet this on" not in nevada  # 150 hours: DN-2 is not enough


def test_the_projection_names_the_course_and_the_day(client, rules, tn_learner):
    offering = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 3, 14))
    Enrollment.objects.create(learner=tn_learner, offering=offering, status="confirmed")
    client.force_login(tn_learner)

    page = client.get("/me/eligibility/", {"state": "GA"}).content.decode()

    assert (
        "With DN-2 on 14–16 March 2027 you will meet this on 16 March 2027." in page
    )  # 27 + 18 < 50; + 9 = 54


def test_the_self_check_needs_a_login_and_shows_only_the_learners_own(
    client, rules, tn_learner, other_learner
):
    assert client.get("/me/eligibility/").status_code == 302
    client.force_login(other_learner)

    page = client.get("/me/eligibility/").content.decode()

    assert "(your PT license" not in page and 'id="state-TN"' not in page


def test_each_license_is_answered_for_its_own_profession(client, rules, tn_learner):
    # The PT of Tennessee also holds an athletic trainer's license in Maryland.
    License.objects.create(
        learner=tn_learner, profession=Profession.objects.get(code="ATC"), jurisdiction="MD",
        number="MD-AT-1", issued_on=dt.date(2024, 1, 1), expires_on=dt.date(2028, 1, 1),
    )  # fmt: skip
    client.force_login(tn_learner)

    page = client.get("/me/eligibility/").content.decode()
    dashboard = client.get("/me/").content.decode()

    maryland = page[page.index('id="state-MD"') :]
    maryland = maryland[: maryland.index("</section>")]
    # Maryland's ATC rule (80 hours, 40 in person), not its PT rule; 27 hours counted.
    assert "as ATC" in maryland and "Approved CE course" in maryland and "53" in maryland
    assert "as PT" in page[page.index('id="state-TN"') :][:400]
    assert "(your ATC license, pending verification)" in page and "(your PT license" in page
    states = dashboard[dashboard.index('id="states-title"') :]
    assert 'Maryland <span class="verdict__profession">as ATC</span>' in states
    assert 'Tennessee <span class="verdict__profession">as PT</span>' in states
