"""The roster as an installable app (issue 19): manifest and service worker served by the
site under /teach/, the day page carrying what it needs offline, and the learner's daily
check-in code on My courses, for their own seat only."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.checkin import day_short_codes
from courses.models import Enrollment
from learners.models import LearnerProfile, Profession
from tests.factories import catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def offering(instructor):
    return catalog_offering(first_day=TODAY - dt.timedelta(days=1), instructors=[instructor],
                            status="closed")  # fmt: skip


def _seat(offering, user):
    LearnerProfile.objects.create(user=user, legal_name=user.get_full_name(),
                                  profession=Profession.objects.get(code="PT"))  # fmt: skip
    return Enrollment.objects.create(learner=user, offering=offering, status="confirmed")


def test_the_worker_is_served_with_a_scope_covering_teach_and_names_local_files(client):
    response = client.get("/teach/sw.js")

    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/teach/"
    script = response.content.decode()
    assert "/static/js/roster-offline.js" in script and "/static/vendor/jsqr/jsQR.js" in script
    assert "https://" not in script


def test_the_manifest_installs_the_teaching_pages(client):
    response = client.get("/teach/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/teach/", "/teach/", "standalone",
    )  # fmt: skip
    assert [i["sizes"] for i in manifest["icons"]] == ["192x192", "512x512"]
    assert client.get(manifest["icons"][0]["src"]).status_code == 200


def test_teaching_home_lists_the_current_rosters_for_the_worker_to_keep(
    client, instructor, offering
):
    client.force_login(instructor)

    page = client.get("/teach/").content.decode()

    day = offering.days.order_by("date").first()
    assert 'id="roster-warm"' in page
    assert f"/teach/offerings/{offering.pk}/days/{day.pk}/" in page
    assert 'rel="manifest"' in page


def test_the_day_page_carries_the_days_check_in_codes(client, instructor, offering, learner):
    seat = _seat(offering, learner)
    day = offering.days.get(date=TODAY)
    client.force_login(instructor)

    page = client.get(f"/teach/offerings/{offering.pk}/days/{day.pk}/").content.decode()

    code = day_short_codes([seat.pk], TODAY)[seat.pk]
    assert f'"{code}": {seat.pk}' in page
    assert "/api/v1/roster/sync/" in page


def test_my_courses_shows_todays_check_in_only_to_the_seats_learner(
    client, offering, learner, other_learner
):
    seat = _seat(offering, learner)
    _seat(offering, other_learner)
    code = day_short_codes(offering.enrollments.values_list("pk", flat=True), TODAY)[seat.pk]

    client.force_login(learner)
    mine = client.get("/me/courses/").content.decode()
    client.force_login(other_learner)
    theirs = client.get("/me/courses/").content.decode()

    assert "Today's class: check in" in mine and code in mine
    assert 'src="data:image/png;base64,' in mine
    assert code not in theirs


def test_no_check_in_shows_on_a_day_without_class(client, instructor, learner):
    _seat(catalog_offering(first_day=TODAY + dt.timedelta(days=7), instructors=[instructor]),
          learner)  # fmt: skip
    client.force_login(learner)

    assert "check in" not in client.get("/me/courses/").content.decode()
