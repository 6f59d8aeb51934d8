"""Registrars verify or reject licenses (a rejection needs a reason), logged; nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import ModelLogEntry

from learners.models import License, Profession

pytestmark = pytest.mark.django_db


@pytest.fixture
def license(learner):
    return License.objects.create(
        learner=learner, profession=Profession.objects.get(code="PT"), jurisdiction="VA",
        number="0101-5555", issued_on=dt.date(2019, 5, 1), expires_on=dt.date(2027, 6, 30),
    )  # fmt: skip


def _url(license: License) -> str:
    return f"/admin/licenses/{license.pk}/review/"


def test_a_registrar_verifies_a_license(client, registrar, license):
    client.force_login(registrar)
    assert "0101-5555" in client.get("/admin/snippets/learners/license/").content.decode()

    client.post(_url(license), {"decision": "verify"})

    license.refresh_from_db()
    assert (license.status, license.status_changed_by) == (License.Status.VERIFIED, registrar)
    entry = ModelLogEntry.objects.get(action="dn.license.reviewed")
    assert entry.data == {"from": "unverified", "to": "verified", "reason": ""}


def test_a_rejection_needs_a_reason_that_the_learner_then_sees(client, registrar, license):
    client.force_login(registrar)

    refused = client.post(_url(license), {"decision": "reject", "reason": ""})
    assert "Say why the license is rejected" in refused.content.decode()
    license.refresh_from_db()
    assert license.status == License.Status.UNVERIFIED

    client.post(_url(license), {"decision": "reject", "reason": "Number not found in VA"})
    client.force_login(license.learner)
    assert "Number not found in VA" in client.get("/me/profile/").content.decode()


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_review_licenses(client, request, license, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(_url(license), {"decision": "verify"})

    assert response.status_code in (302, 403)
    license.refresh_from_db()
    assert license.status == License.Status.UNVERIFIED
