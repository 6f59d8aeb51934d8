"""The learner's profile step after sign-up, and licenses: good input saved, bad input
refused with its message and nothing saved, and nobody sees another learner's."""

from __future__ import annotations

import datetime as dt

import pytest

from learners.models import LearnerProfile, License, Profession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _pk(code: str) -> int:
    return Profession.objects.get(code=code).pk


def _license(**changes) -> dict:
    return {
        "profession": _pk("PT"), "jurisdiction": "VA", "number": "0101-123456",
        "issued_on": "2019-05-01", "expires_on": "2027-06-30",
    } | changes  # fmt: skip


def test_a_learner_without_a_profile_goes_to_it_right_after_logging_in(client, learner):
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert response["Location"] == "/me/profile/?next=%2F"


def test_an_instructor_goes_straight_to_their_work_without_a_learner_profile(client, instructor):
    response = client.post(
        "/accounts/login/?next=/teach/", {"login": instructor.email, "password": PASSWORD}
    )

    assert response["Location"] == "/teach/"


def test_a_learner_with_a_complete_profile_goes_where_they_were_going(client, learner):
    LearnerProfile.objects.create(user=learner, legal_name="Lena Ortiz", profession_id=_pk("PT"))

    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert response["Location"] == "/"


def test_saving_the_profile_returns_to_the_page_the_learner_came_for(client, learner):
    client.force_login(learner)

    response = client.post(
        "/me/profile/", {"legal_name": "Lena M. Ortiz", "profession": _pk("PT"), "next": "/"}
    )

    assert response["Location"] == "/"
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.legal_name == "Lena M. Ortiz" and profile.is_complete


def test_a_final_year_student_gives_school_and_graduation_date(client, learner):
    client.force_login(learner)

    refused = client.post("/me/profile/", {"legal_name": "Sam Lee", "student_program": "DPT"})
    assert "Students: give your school and expected graduation date." in refused.content.decode()
    assert not LearnerProfile.objects.exists()

    client.post("/me/profile/", {
        "legal_name": "Sam Lee", "student_program": "DPT", "school": "State University",
        "expected_graduation": "2027-05-15",
    })  # fmt: skip
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.is_student and profile.is_complete


def test_a_profile_needs_a_profession_or_a_student_program(client, learner):
    client.force_login(learner)

    response = client.post("/me/profile/", {"legal_name": "Sam Lee"})

    assert "Choose your profession, or the program you are a final-year student in." in (
        response.content.decode()
    )
    assert not LearnerProfile.objects.exists()


def test_a_learner_adds_a_license_that_awaits_verification(client, learner):
    client.force_login(learner)

    response = client.post("/me/licenses/add/", _license())

    assert response["Location"] == "/me/profile/"
    license = License.objects.get()
    assert (license.learner, license.status) == (learner, License.Status.UNVERIFIED)
    page = client.get("/me/profile/").content.decode()
    assert "PT 0101-123456" in page and "Virginia" in page and "Awaiting verification" in page


def test_a_license_from_another_country_is_accepted(client, learner):
    client.force_login(learner)

    client.post("/me/licenses/add/", _license(jurisdiction="country:CA"))

    assert "Canada" in client.get("/me/profile/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expires_on": "2019-05-01"}, "The expiry date must be after the issue date."),
        ({"jurisdiction": "XX"}, "Unknown jurisdiction “XX”: choose a US state or a country."),
        ({"issued_on": "May 2019"}, "Enter a valid date."),
        ({"number": ""}, "This field is required."),
    ],
)
def test_bad_license_input_is_refused_with_its_message(client, learner, changes, message):
    client.force_login(learner)

    response = client.post("/me/licenses/add/", _license(**changes))

    assert message in response.content.decode()
    assert not License.objects.exists()


def test_the_same_license_cannot_be_added_twice(client, learner, other_learner):
    client.force_login(learner)
    client.post("/me/licenses/add/", _license())

    again = client.post("/me/licenses/add/", _license())
    assert "You have already added this license." in again.content.decode()

    client.force_login(other_learner)
    theirs = client.post("/me/licenses/add/", _license())
    assert "This license number is already on another account." in theirs.content.decode()
    assert License.objects.count() == 1


def test_it_hides_licenses_from_other_learners(client, learner, other_learner):
    License.objects.create(
        learner=other_learner, profession_id=_pk("PT"), jurisdiction="VA", number="SECRET-1",
        issued_on=dt.date(2019, 5, 1), expires_on=dt.date(2027, 6, 30),
    )  # fmt: skip
    client.force_login(learner)

    assert "SECRET-1" not in client.get("/me/profile/").content.decode()


@pytest.mark.parametrize("path", ["/me/profile/", "/me/licenses/add/"])
def test_visitors_are_asked_to_log_in(client, path):
    response = client.get(path)

    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_profile_step_comes_first_even_when_the_login_had_somewhere_to_go(client, learner):
    response = client.post(
        "/accounts/login/?next=/offerings/7/", {"login": learner.email, "password": PASSWORD}
    )

    assert response["Location"] == "/me/profile/?next=%2Fofferings%2F7%2F"


@pytest.mark.usefixtures("frozen_today")
def test_a_license_issued_in_the_future_is_refused(client, learner):
    client.force_login(learner)

    response = client.post("/me/licenses/add/", _license(issued_on="2026-11-24"))

    assert "A license cannot be issued in the future (24 November 2026)" in (
        response.content.decode()
    )
    assert not License.objects.exists()
