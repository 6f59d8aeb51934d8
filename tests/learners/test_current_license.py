"""One meaning of "a current license" (issue 13, item 3): current through its expiry date,
inclusive, on the provider's calendar. Enrollment takes pending (unverified) licenses,
certification only verified ones, and the self-check counts pending ones (shown as pending)
but never an expired one. Checked late in the evening in New York, when UTC is already on
the next day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from certification.programs import certificate_issue_if_due
from learners.models import License
from tests.certification.helpers import course_completed, pt_license
from tests.factories import catalog_offering

TODAY = dt.date(2026, 11, 23)
YESTERDAY = TODAY - dt.timedelta(days=1)
LATE_EVENING = dt.datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/New_York"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_evening():
    with time_machine.travel(LATE_EVENING, tick=False):
        yield


@pytest.mark.parametrize(("expires", "may_enroll"), [(TODAY, True), (YESTERDAY, False)])
def test_it_takes_a_pending_license_for_enrollment_through_its_expiry_date(
    client, learner, expires, may_enroll
):
    offering = catalog_offering(first_day=dt.date(2027, 1, 20))  # registration open
    pt_license(learner, status="unverified", expires=expires)
    client.force_login(learner)

    page = client.get(f"/offerings/{offering.pk}/").content.decode()

    assert ("Enroll and pay" in page) is may_enroll
    assert ("Add your license before enrolling" in page) is not may_enroll


@pytest.mark.parametrize(("expires", "issued"), [(TODAY, True), (YESTERDAY, False)])
def test_it_certifies_with_a_verified_license_through_its_expiry_date(
    learner, instructor, program, expires, issued
):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner, expires=expires)

    certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)

    assert (certificate is not None) is issued


def test_it_never_certifies_with_a_pending_license(learner, instructor, program):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner, status="unverified", expires=TODAY)

    assert certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk) is None


@pytest.mark.parametrize("status", ["verified", "unverified"])
def test_the_self_check_counts_a_license_through_its_expiry_date(client, rules, learner, status):
    pt_license(learner, status=status, expires=TODAY)
    client.force_login(learner)

    assert client.get("/api/v1/me/eligibility/").json()["licensed_in"] == ["VA"]
    page = client.get("/me/eligibility/").content.decode()
    assert 'id="state-VA"' in page
    pending = "(your PT license, pending verification)" in page
    assert pending is (status == "unverified")


def test_the_self_check_says_an_expired_license_no_longer_counts(client, rules, learner):
    pt_license(learner, expires=YESTERDAY)
    client.force_login(learner)

    assert client.get("/api/v1/me/eligibility/").json()["licensed_in"] == []
    page = client.get("/me/eligibility/").content.decode()
    assert "(your PT license" not in page
    assert "Your license in Virginia expired on 22 November 2026" in page


def test_a_newer_license_in_the_same_state_replaces_an_expired_one(client, rules, learner):
    expired = pt_license(learner, expires=YESTERDAY)
    License.objects.create(
        learner=learner, profession=expired.profession, jurisdiction="VA", number="RENEWED",
        issued_on=TODAY, expires_on=dt.date(2028, 11, 30), status="verified",
    )  # fmt: skip
    client.force_login(learner)

    assert client.get("/api/v1/me/eligibility/").json()["licensed_in"] == ["VA"]
    assert "expired on" not in client.get("/me/eligibility/").content.decode()
