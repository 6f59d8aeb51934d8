"""The signed-in pages kept while their data is unchanged (config/fragment_cache.py): each kind
of write shows on the very next request, nobody sees another person's page, and an unchanged
page costs few queries. Time runs (no frozen clock): every save stamps its row."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import INSTRUCTOR, LEARNER
from certification.certificates import certificate_set_status
from certification.models import Certificate, JurisdictionRule
from certification.programs import certificate_issue_if_due
from certification.rules import rules_load
from courses.models import Enrollment
from learners.ledger import hours_entry_correct, hours_entry_record
from learners.models import HoursEntry, RuleChange, RuleChangeNotice
from learners.services import license_review, rule_notice_dismiss
from tests.accounts.test_user_management import _edit as edit_account
from tests.accounts.test_user_management import _group as group_named
from tests.certification.helpers import (
    course_completed,
    pt_license,
    roster_day_post,
    rules_file_changed,
)
from tests.courses.test_offering_admin import _edit_form as offering_edit_form
from tests.courses.test_offering_admin import _edit_url as offering_edit_url
from tests.factories import UserFactory, catalog_course, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("program", "rules")]
PAST = dt.date(2026, 11, 20)  # DN-1 in Richmond, 20-22 November 2026, before the clock's today


def _page(client, url="/me/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _total(page: str) -> str:
    return page.split('data-testid="total-hours">')[1].split("<")[0]


@pytest.fixture
def seat(learner, instructor):
    pt_license(learner, status="unverified")
    offering = catalog_offering(first_day=PAST, instructors=[instructor], status="closed")
    return Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")


def test_it_shows_a_roster_save_at_once_to_the_learner_and_the_instructor(
    client, learner, instructor, seat
):
    client.force_login(learner)
    assert _total(_page(client)) == "0"
    client.force_login(instructor)
    day_url = f"/teach/offerings/{seat.offering_id}/days/{seat.offering.days.first().pk}/"
    assert "On the record" not in _page(client, day_url)

    assert roster_day_post(client, seat, 0, mark="partial", hours="5").status_code == 302

    assert "On the record: 5 h" in _page(client, day_url)
    assert "5 of 27 hours" in _page(client, f"/teach/offerings/{seat.offering_id}/")
    client.force_login(learner)
    assert _total(_page(client)) == "5"


def test_it_shows_a_correction_at_once(client, learner, instructor, seat):
    day = seat.offering.days.first()
    entry = hours_entry_record(learner=learner, date=day.date, hours=Decimal(9), mode="in_person",
                               source="course_day", recorded_by=instructor, today=PAST,
                               course_day_id=day.pk)  # fmt: skip
    client.force_login(learner)
    assert _total(_page(client)) == "9"

    hours_entry_correct(
        entry=entry, hours=Decimal(6), reason="Left at 2 pm", recorded_by=instructor
    )

    assert _total(_page(client)) == "6"


def test_it_shows_a_license_verified_by_staff_at_once(client, learner, registrar, seat):
    client.force_login(learner)
    before = _page(client, "/me/eligibility/?state=VA")
    assert "0 of 4 requirements met" in _page(client)

    license_review(registrar=registrar, license_id=learner.licenses.get().pk, verified=True,
                   reason="")  # fmt: skip

    assert "1 of 4 requirements met" in _page(client)
    assert _page(client, "/me/eligibility/?state=VA") != before


def test_it_shows_a_cancelled_or_refunded_seat_at_once(client, learner, seat):
    later = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 3, 14))
    upcoming = Enrollment.objects.create(learner=learner, offering=later, status="confirmed")
    client.force_login(learner)
    assert "Sunday 14 March 2027" in _page(client)

    upcoming.status = Enrollment.Status.REFUNDED  # as the cancellation service writes it
    upcoming.save(update_fields=["status"])

    page = _page(client)
    assert "Sunday 14 March 2027" not in page and "Nothing booked" in page


def test_it_shows_a_certificate_issued_and_revoked_at_once(
    client, learner, instructor, registrar, program
):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 6, 20))
    pt_license(learner)
    client.force_login(learner)
    assert "No certificate yet" in _page(client)

    certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)

    assert f'{certificate.number}</a> <span class="badge badge--ok">Valid' in _page(client)
    certificate_set_status(certificate_id=certificate.pk, valid=False, reason="Issued in error",
                           registrar=registrar)  # fmt: skip
    assert Certificate.objects.get().status == "revoked"
    assert f'{certificate.number}</a> <span class="badge">Revoked' in _page(client)


def test_it_shows_a_changed_rule_at_once(client, learner, seat, tmp_path):
    client.force_login(learner)
    assert "A referral from the board itself." not in _page(client, "/me/eligibility/?state=VA")

    rules_load(
        rules_file_changed(tmp_path, "VA", "PT", conditions=["A referral from the board itself."])
    )

    assert "A referral from the board itself." in _page(client, "/me/eligibility/?state=VA")


def test_it_shows_a_license_expiring_when_the_date_passes_it(client, learner):
    pt_license(learner, expires=dt.date(2027, 1, 31))
    with time_machine.travel(dt.datetime(2027, 1, 31, 12, tzinfo=dt.UTC)):
        client.force_login(learner)
        assert "expired on" not in _page(client, "/me/eligibility/")
    with time_machine.travel(dt.datetime(2027, 2, 1, 17, tzinfo=dt.UTC)):
        client.force_login(learner)
        assert "Your license in Virginia expired on 31 January 2027" in _page(
            client, "/me/eligibility/"
        )


def test_two_learners_never_see_each_others_page(client, learner, other_learner, instructor):
    for who, hours in ((learner, 3), (other_learner, 7)):
        HoursEntry.objects.create(learner=who, date=PAST, hours=Decimal(hours), mode="online",
                                  source="outside", recorded_by=instructor)  # fmt: skip
    for _ in range(2):  # built, then kept
        client.force_login(learner)
        assert _total(_page(client)) == "3"
        client.force_login(other_learner)
        assert _total(_page(client)) == "7"


@pytest.mark.parametrize("url", ["/me/", "/me/eligibility/"])
def test_an_unchanged_page_is_served_as_kept_in_few_queries(client, learner, seat, url):
    client.force_login(learner)
    with CaptureQueriesContext(connection) as built:
        first = _page(client, url)
    with CaptureQueriesContext(connection) as kept:
        again = _page(client, url)

    assert again.split("<main")[1].split("</main>")[0].count("<section") == first.split("<main")[
        1
    ].split("</main>")[0].count("<section")
    # the user, their roles, the fingerprint (the dashboard's rule-change notices in it)
    assert len(kept) <= 3 < len(built)


def test_the_fingerprint_changes_with_every_save_even_of_named_fields_only(
    learner, instructor, seat
):
    from learners.fingerprint import learner_fingerprint

    license = learner.licenses.get()
    unchanged = learner_fingerprint(learner.pk)
    assert learner_fingerprint(learner.pk) == unchanged
    marks = [unchanged]
    for row, field in ((license, "status"), (seat, "status"), (learner.learner_profile, "city")):
        row.save(update_fields=[field])  # nothing but the stamp changes
        marks.append(learner_fingerprint(learner.pk))
    HoursEntry.objects.create(learner=learner, date=PAST, hours=Decimal(1), mode="online",
                              source="outside", recorded_by=instructor)  # fmt: skip
    marks.append(learner_fingerprint(learner.pk))
    change = RuleChange.objects.create(rule=JurisdictionRule.objects.first(), version=99,
                                       jurisdiction_name="Virginia", profession="PT",
                                       changes=["x"], guide_url="/")  # fmt: skip
    notice = RuleChangeNotice.objects.create(
        learner=learner, change=change, old_status="eligible", new_status="not_yet"
    )
    marks.append(learner_fingerprint(learner.pk))
    rule_notice_dismiss(learner=learner, notice_id=notice.pk)
    marks.append(learner_fingerprint(learner.pk))

    assert len(set(marks)) == len(marks)


# The pages are kept whole: what the page around the part varies by (the menu, the flash
# messages, the forms' token, the offering itself) must follow each change too.


def _offering_page(client, offering) -> str:
    return _page(client, f"/teach/offerings/{offering.pk}/")


def test_the_kept_page_shows_each_visitor_the_menu_of_their_roles(
    client, learner, instructor, registrar, seat
):
    client.force_login(registrar)
    assert '<a href="/admin/">Admin</a>' in _offering_page(client, seat.offering)
    client.force_login(instructor)  # the same offering page, kept: no admin link for them
    assert '<a href="/admin/">Admin</a>' not in _offering_page(client, seat.offering)
    client.force_login(learner)
    assert 'href="/teach/"' not in _page(client)

    client.force_login(registrar)
    edit_account(client, learner, groups=[group_named(LEARNER).pk, group_named(INSTRUCTOR).pk])

    client.force_login(learner)
    assert 'href="/teach/"' in _page(client)


def test_the_roster_follows_a_registrars_edit_of_the_offering_at_once(
    client, instructor, registrar
):
    offering = catalog_offering(instructors=[instructor])
    client.force_login(instructor)
    assert "(8:00 AM–5:30 PM, 9 h)" in _offering_page(client, offering)

    client.force_login(registrar)
    data = offering_edit_form(offering)
    data["days-0-start_time"] = "09:00"
    data["days-0-scheduled_hours"] = "8"
    data["hours_reason"] = "Starts an hour later"
    assert client.post(offering_edit_url(offering), data).status_code == 302

    client.force_login(instructor)
    assert "(9:00 AM–5:30 PM, 8 h)" in _offering_page(client, offering)


def test_an_instructor_taken_off_an_offering_is_refused_its_kept_page_at_once(
    client, instructor, registrar
):
    offering = catalog_offering(instructors=[instructor])
    client.force_login(instructor)
    _offering_page(client, offering)  # built and kept

    client.force_login(registrar)
    data = offering_edit_form(offering) | {"instructors": [UserFactory(roles=[INSTRUCTOR]).pk]}
    assert client.post(offering_edit_url(offering), data).status_code == 302

    client.force_login(instructor)
    assert client.get(f"/teach/offerings/{offering.pk}/").status_code == 403


def test_a_flash_message_and_the_forms_token_are_the_requests_own_on_a_kept_page(
    learner, instructor, seat
):
    first = Client(enforce_csrf_checks=True)
    first.force_login(instructor)
    url = f"/teach/offerings/{seat.offering_id}/"
    assert first.get(url).status_code == 200  # built and kept

    later = Client(enforce_csrf_checks=True)  # another sign-in, another CSRF secret
    later.force_login(instructor)
    page = later.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = later.post(url, {f"written_{seat.pk}": "85", f"practical_{seat.pk}": "pass",
                              "csrfmiddlewaretoken": token})  # fmt: skip

    assert answer.status_code == 302
    shown = later.get(url).content.decode()
    assert "Results saved (1 changed)." in shown
    assert 'value="85"' in shown
    assert "Results saved" not in later.get(url).content.decode()  # shown once
