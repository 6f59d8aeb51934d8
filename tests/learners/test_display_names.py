"""Everyone listed in the admin is named by `learner_display_name` (issue 16): a learner who
signed up themselves has no account name, only the legal name of their profile; and one
who has not given it yet is their email, never a blank."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrollment
from learners.models import LearnerProfile, License, OutsideTraining, Profession
from learners.selectors import learner_display_name
from tests.factories import UserFactory, catalog_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_up(db):
    """A learner as sign-up leaves them (email only), who then gave their legal name."""
    user = UserFactory(email="nora@example.test", first_name="", last_name="")
    pt = Profession.objects.get(code="PT")
    LearnerProfile.objects.create(user=user, legal_name="Nora Newcomer", profession=pt)
    return user


def test_a_learner_without_any_name_yet_is_named_by_their_email(db):
    user = UserFactory(email="new@example.test", first_name="", last_name="")
    LearnerProfile.objects.create(user=user, legal_name="")

    assert learner_display_name(user) == "new@example.test"


def test_every_admin_list_and_page_names_a_signed_up_learner_by_their_legal_name(
    client, registrar, signed_up, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    offering = catalog_offering()
    enrollment = Enrollment.objects.create(learner=signed_up, offering=offering, status="confirmed")
    license = License.objects.create(
        learner=signed_up, profession=Profession.objects.get(code="PT"), jurisdiction="VA",
        number="0101-1", issued_on=dt.date(2019, 5, 1), expires_on=dt.date(2030, 6, 30),
    )  # fmt: skip
    training = OutsideTraining.objects.create(
        learner=signed_up, provider="P", title="T", started_on=dt.date(2026, 1, 5),
        ended_on=dt.date(2026, 1, 5), hours=8, in_person_hours=8, evidence_type="application/pdf",
        evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4"),
    )  # fmt: skip
    client.force_login(registrar)

    for path in (
        "/admin/users/",
        "/admin/snippets/courses/enrollment/",
        "/admin/snippets/learners/license/",
        "/admin/snippets/learners/outsidetraining/",
        f"/admin/offerings/{offering.pk}/seats/",
        f"/admin/enrollments/{enrollment.pk}/",
        f"/admin/licenses/{license.pk}/review/",
        f"/admin/outside-training/{training.pk}/review/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Nora Newcomer" in response.content.decode(), path
