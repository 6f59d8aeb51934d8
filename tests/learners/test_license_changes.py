"""A learner corrects or withdraws a license while it awaits verification; once a registrar
has decided, only the registrar changes it. The profile's choices read cleanly."""

from __future__ import annotations

import datetime as dt

import pytest

from learners.models import LearnerProfile, License, Profession
from learners.services import license_review

pytestmark = pytest.mark.django_db


def _pk(code: str) -> int:
    return Profession.objects.get(code=code).pk


def _license(learner, **fields) -> License:
    return License.objects.create(**{
        "learner": learner, "profession_id": _pk("PT"), "jurisdiction": "VA",
        "number": "0101-123456", "issued_on": dt.date(2019, 5, 1),
        "expires_on": dt.date(2027, 6, 30), **fields,
    })  # fmt: skip


def _form(**changes) -> dict:
    return {
        "profession": _pk("PT"), "jurisdiction": "VA", "number": "0101-123456",
        "issued_on": "2019-05-01", "expires_on": "2027-06-30",
    } | changes  # fmt: skip


def test_it_lets_a_learner_correct_a_pending_license(client, learner):
    license = _license(learner, number="0101-12345")
    client.force_login(learner)
    assert f'href="/me/licenses/{license.pk}/"' in client.get("/me/profile/").content.decode()

    response = client.post(f"/me/licenses/{license.pk}/", _form(number="0101-123456"))

    assert response["Location"] == "/me/profile/"
    license.refresh_from_db()
    assert (license.number, license.status) == ("0101-123456", License.Status.UNVERIFIED)


def test_a_correction_is_checked_like_a_new_license(client, learner, frozen_today):
    license = _license(learner)
    client.force_login(learner)

    response = client.post(f"/me/licenses/{license.pk}/", _form(issued_on="2026-11-24"))

    assert "A license cannot be issued in the future (24 November 2026)" in (
        response.content.decode()
    )
    license.refresh_from_db()
    assert license.issued_on == dt.date(2019, 5, 1)


def test_it_lets_a_learner_withdraw_a_pending_license(client, learner):
    license = _license(learner)
    client.force_login(learner)

    response = client.post(f"/me/licenses/{license.pk}/withdraw/", follow=True)

    assert "License withdrawn." in response.content.decode()
    assert not License.objects.exists()


@pytest.mark.parametrize("verified", [True, False])
def test_a_reviewed_license_changes_only_through_the_registrar(
    client, learner, registrar, verified
):
    license = _license(learner)
    license_review(registrar=registrar, license_id=license.pk, verified=verified,
                   reason="" if verified else "Number not on the board's register.")  # fmt: skip
    client.force_login(learner)

    assert "Changes through the registrar" in client.get("/me/profile/").content.decode()
    assert client.get(f"/me/licenses/{license.pk}/").status_code == 404
    assert client.post(f"/me/licenses/{license.pk}/", _form(number="X")).status_code == 404
    assert client.post(f"/me/licenses/{license.pk}/withdraw/").status_code == 404
    license.refresh_from_db()
    assert license.number == "0101-123456"


def test_it_hides_licenses_from_other_learners(client, learner, other_learner):
    license = _license(other_learner)
    client.force_login(learner)

    assert client.get(f"/me/licenses/{license.pk}/").status_code == 404
    assert client.post(f"/me/licenses/{license.pk}/withdraw/").status_code == 404
    assert License.objects.filter(pk=license.pk).exists()


def test_the_profile_offers_states_and_territories_and_refuses_anything_else(client, learner):
    client.force_login(learner)
    page = client.get("/me/profile/").content.decode()
    assert '<option value="VA">Virginia</option>' in page
    assert '<option value="PR">Puerto Rico</option>' in page

    refused = client.post("/me/profile/", {"legal_name": "Lena Ortiz", "profession": _pk("PT"),
                                           "state": "ZZ"})  # fmt: skip
    assert "Select a valid choice. ZZ is not one of the available choices." in (
        refused.content.decode()
    )
    assert not LearnerProfile.objects.exists()
    client.post("/me/profile/", {"legal_name": "Lena Ortiz", "profession": _pk("PT"),
                                 "state": "VA"})  # fmt: skip
    assert LearnerProfile.objects.get().state == "VA"


def test_the_profession_has_no_default_and_no_doubled_abbreviation(client, learner):
    client.force_login(learner)

    page = client.get("/me/profile/").content.decode()

    assert '<option value="" selected>Choose your profession</option>' in page
    assert "I am a student" not in page
    assert "Medical doctor (MD)</option>" in page and "Osteopathic physician (DO)</option>" in page
    assert "(MD) (MD)" not in page and "(DO) (DO)" not in page
