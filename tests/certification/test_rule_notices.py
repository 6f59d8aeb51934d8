"""Rule-change alerts with the database (issue 18, section 2): a registrar's edit or a
re-load changes a rule; every learner licensed there whose verdict moved gets one notice on
their dashboard and one email (unless they opted out), nobody else anything; a task run
again, or one that died after sending, never sends a second email."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, streamfield

from certification.models import JurisdictionRule
from certification.rule_notices import rule_change_alerts_start
from certification.rules import rules_save
from cms.models import HomePage, StateGuideIndexPage, StateGuidePage
from cms.page_tree import page_child_ensure
from learners.ledger import hours_entry_record
from learners.models import (
    LearnerProfile,
    License,
    Profession,
    RuleChange,
    RuleChangeNotice,
)
from tests.certification.helpers import rules_file_changed
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = dt.date(2026, 11, 23)
VA_PT_EDIT = "/admin/snippets/certification/jurisdictionrule/edit/{pk}/"


def _clinician(instructor, email: str, *, hours: int, jurisdiction="VA", profession="PT",
               expires=dt.date(2028, 6, 30), emails=True):  # fmt: skip
    """A learner licensed in `jurisdiction` since 2019 with `hours` in person on the ledger."""
    learner = UserFactory(email=email)
    code = Profession.objects.get(code=profession)
    LearnerProfile.objects.create(user=learner, legal_name=email.split("@")[0].title(),
                                  profession=code, rule_change_emails=emails)  # fmt: skip
    License.objects.create(
        learner=learner, profession=code, jurisdiction=jurisdiction, number=f"N-{email}",
        issued_on=dt.date(2019, 5, 1), expires_on=expires, status="verified",
    )  # fmt: skip
    for n in range(hours // 9):
        hours_entry_record(learner=learner, date=dt.date(2026, 3, 1) + dt.timedelta(days=n),
                           hours=Decimal(9), mode="in_person", source="outside",
                           recorded_by=instructor, today=TODAY)  # fmt: skip
    return learner


@pytest.fixture
def clinicians(rules, instructor):
    """Under Virginia's PT rule (54 hours, with conditions): one at exactly 54 hours, one well
    past it, one short of it; and three the Virginia PT rule does not answer for."""
    return {
        "at_54": _clinician(instructor, "ada@example.com", hours=54),
        "at_108": _clinician(instructor, "ben@example.com", hours=108),
        "at_27": _clinician(instructor, "cy@example.com", hours=27),
        "athletic_trainer": _clinician(instructor, "di@example.com", hours=54, profession="ATC"),
        "in_maryland": _clinician(instructor, "ed@example.com", hours=54, jurisdiction="MD"),
        "expired": _clinician(
            instructor, "flo@example.com", hours=54, expires=dt.date(2026, 1, 1)
        ),  # fmt: skip
    }


def _edit_virginia(client, registrar, *, hours: str = "60", conditions="A written referral."):
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    client.force_login(registrar)
    data = nested_form_data({
        "jurisdiction": "VA", "name": "Virginia", "profession": rule.profession_id,
        "status": "permitted", "conditions": conditions, "notes": "",
        "effective_date": "2020-01-01", "last_reviewed": "2026-11-23",
        "requirements": streamfield([("requirement", {
            "label": "Post-professional dry-needling training", "min_total_hours": hours,
            "min_in_person_hours": "0", "window_months": "", "prior_practice_years": "",
        })]),
        "citations": streamfield([("citation", {
            "url": "https://www.dhp.virginia.gov/", "title": "Board of Physical Therapy",
            "date": "2026", "quote": "",
        })]),
    })  # fmt: skip
    return client.post(VA_PT_EDIT.format(pk=rule.pk), data)


def test_a_registrars_edit_tells_only_the_learners_whose_verdict_moved(
    client, registrar, clinicians, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit_virginia(client, registrar, hours="60")

    assert response.status_code == 302
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(rule.pk),
                                        user=registrar).exists()  # fmt: skip  # audit log
    notice = RuleChangeNotice.objects.get()
    assert notice.learner == clinicians["at_54"]
    assert (notice.old_status, notice.new_status) == ("eligible_if", "not_yet")
    assert "Post-professional dry-needling training, hours: 54 → 60." in notice.change.changes
    assert notice.moved == [
        "Post-professional dry-needling training: 60 hours required, you have 54: 6 missing."
    ]
    assert notice.change.reason == "Edited in the admin"
    [email] = mailoutbox
    assert email.to == ["ada@example.com"]
    assert email.subject.startswith("[DN Tracker] Virginia's dry-needling rule changed")
    assert "Before: Eligible if the conditions are met\nNow: Not yet eligible" in email.body
    assert "- Post-professional dry-needling training, hours: 54 → 60." in email.body
    assert "6 missing" in email.body
    assert "Source of the change: Edited in the admin" in email.body
    assert "http://testserver/me/profile/" in email.body or "/me/profile/" in email.body


def test_reloading_a_changed_file_tells_the_learners_with_its_source(
    tmp_path, clinicians, django_capture_on_commit_callbacks, mailoutbox
):
    changed = rules_file_changed(tmp_path, "VA", "PT", status="prohibited", requirements=[])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_rules", file=changed, stdout=io.StringIO())

    notices = RuleChangeNotice.objects.order_by("learner_id")
    assert [n.learner for n in notices] == [
        clinicians["at_54"],
        clinicians["at_108"],
        clinicians["at_27"],
    ]  # every Virginia PT moved: eligible-if and not-yet alike are now prohibited
    assert {n.new_status for n in notices} == {"prohibited"}
    assert notices[0].change.changes[:2] == [
        "Status: permitted → prohibited.",
        "Requirement removed: Post-professional dry-needling training.",
    ]
    assert notices[0].change.reason.startswith("Loaded from rules.json")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ada@example.com",
        "ben@example.com",
        "cy@example.com",
    ]


def test_a_change_that_moves_no_verdict_tells_nobody(
    client, registrar, clinicians, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _edit_virginia(client, registrar, hours="54")  # the review date and sources change

    assert not RuleChangeNotice.objects.exists()
    assert mailoutbox == []


def _versions() -> list[list[int | None]]:
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    ids = list(rule.history.order_by("-history_id").values_list("history_id", flat=True)[:2])
    return [[ids[1], ids[0]]]


def test_a_task_run_again_adds_no_notice_and_sends_no_second_email(
    client, registrar, clinicians, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _edit_virginia(client, registrar, hours="60")

    rule_change_alerts_start.call(versions=_versions(), batch_size=2)

    assert RuleChangeNotice.objects.count() == 1
    assert len(mailoutbox) == 1


class SendThenDie(EmailBackend):
    """Delivers, then the worker dies before the task finishes."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise ConnectionResetError("worker killed after sending")


def test_an_email_task_that_died_after_sending_sends_nothing_when_run_again(
    clinicians, settings, mailoutbox, caplog
):
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    rule.requirements[0].value["min_total_hours"] = Decimal(60)
    [versions] = rules_save(changed=[rule], reason="Board guidance 2027")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SendThenDie"}}

    rule_change_alerts_start.call(versions=[list(versions)])

    assert "worker killed after sending" in caplog.text  # the email task failed...
    assert len(mail.outbox) == 1  # ...after its email went out
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    rule_change_alerts_start.call(versions=[list(versions)])  # the whole run, again

    assert len(mail.outbox) == 1
    assert RuleChangeNotice.objects.get().emailed_at is not None


def test_learners_who_opted_out_get_the_notice_but_no_email(
    client, registrar, instructor, rules, django_capture_on_commit_callbacks, mailoutbox
):
    quiet = _clinician(instructor, "gil@example.com", hours=54, emails=False)

    with django_capture_on_commit_callbacks(execute=True):
        _edit_virginia(client, registrar, hours="60")

    assert RuleChangeNotice.objects.get().learner == quiet
    assert mailoutbox == []


def test_learners_opt_out_in_their_profile(client, learner, rules):
    LearnerProfile.objects.create(user=learner, legal_name="Jo Lee",
                                  profession=Profession.objects.get(code="PT"))  # fmt: skip
    client.force_login(learner)
    assert re.search(r'name="rule_change_emails"[^>]* checked', client.get("/me/profile/").text)

    response = client.post("/me/profile/", {
        "legal_name": "Jo Lee", "profession": Profession.objects.get(code="PT").pk,
    })  # fmt: skip  # an unticked box is not sent

    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).rule_change_emails is False


def test_a_new_rule_tells_learners_whose_unknown_became_an_answer(
    client, registrar, instructor, rules, django_capture_on_commit_callbacks, mailoutbox
):
    doctor = _clinician(instructor, "hal@example.com", hours=54, profession="DO")
    client.force_login(registrar)
    data = nested_form_data({
        "jurisdiction": "VA", "name": "Virginia", "profession": doctor.licenses.get().profession_id,
        "status": "prohibited", "conditions": "", "notes": "", "effective_date": "",
        "last_reviewed": "2026-11-23", "requirements": streamfield([]),
        "citations": streamfield([("citation", {
            "url": "https://www.dhp.virginia.gov/medicine/", "title": "Board of Medicine",
            "date": "2026", "quote": "",
        })]),
    })  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/snippets/certification/jurisdictionrule/add/", data)

    notice = RuleChangeNotice.objects.get()
    assert (notice.learner, notice.old_status, notice.new_status) == (
        doctor,
        "unknown",
        "prohibited",
    )
    assert notice.change.changes[0] == "Status: no rule on file → prohibited."
    assert notice.change.sources == [
        {"title": "Board of Medicine", "url": "https://www.dhp.virginia.gov/medicine/"}
    ]
    assert [m.to for m in mailoutbox] == [["hal@example.com"]]


@pytest.fixture
def noticed(client, registrar, clinicians, django_capture_on_commit_callbacks):
    index = page_child_ensure(HomePage.objects.get(), StateGuideIndexPage, "states",
                              title="State guides")  # fmt: skip
    page_child_ensure(index, StateGuidePage, "virginia", title="Dry needling in Virginia",
                      jurisdiction="VA")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _edit_virginia(client, registrar, hours="60")
    client.logout()
    return RuleChangeNotice.objects.get()


def test_the_dashboard_shows_the_notice_with_the_state_guide(client, noticed):
    client.force_login(noticed.learner)

    page = client.get("/me/").content.decode()

    notices = page[page.index('id="rule-notices-title"') : page.index('id="cert-title"')]
    assert "Virginia" in notices and "Not yet eligible" in notices
    assert "Eligible if the conditions are met" in notices
    assert "Post-professional dry-needling training, hours: 54 → 60." in notices
    assert "you have 54: 6 missing" in notices
    assert 'href="/states/virginia/"' in notices
    assert 'href="https://www.dhp.virginia.gov/"' in notices
    assert '<a href="/me/plan/?states=VA">Plan what is missing' in notices


def test_only_the_learner_dismisses_their_notice(client, noticed, clinicians):
    client.force_login(clinicians["at_108"])
    assert client.post(f"/me/notices/{noticed.pk}/dismiss/").status_code == 404
    assert 'id="rule-notices-title"' not in client.get("/me/").content.decode()

    client.force_login(noticed.learner)
    response = client.post(f"/me/notices/{noticed.pk}/dismiss/")

    assert response.status_code == 302
    assert 'id="rule-notices-title"' not in client.get("/me/").content.decode()
    noticed.refresh_from_db()
    assert noticed.dismissed_at is not None  # kept, with when


def test_the_kept_dashboard_shows_a_new_notice_and_its_dismissal_at_once(
    client, registrar, clinicians, django_capture_on_commit_callbacks
):
    """The dashboard is kept whole per learner (issue 17): a notice written by a rule change
    shows on the next request; its form carries the token of the request showing it, not of
    the sign-in that built the page; dismissing it shows at once, with its message once."""
    first, later = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for signed_in in (first, later):
        signed_in.force_login(clinicians["at_54"])
    assert 'id="rule-notices-title"' not in first.get("/me/").content.decode()  # kept

    with django_capture_on_commit_callbacks(execute=True):
        _edit_virginia(client, registrar, hours="60")

    assert "you have 54: 6 missing" in first.get("/me/").content.decode()  # built and kept
    page = later.get("/me/").content.decode()
    action, token = re.search(
        r'<form method="post" action="(/me/notices/\d+/dismiss/)"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page
    ).groups()  # fmt: skip
    assert later.post(action, {"csrfmiddlewaretoken": token}).status_code == 302

    page = later.get("/me/").content.decode()
    assert 'id="rule-notices-title"' not in page and "Notice dismissed." in page
    assert "Notice dismissed." not in later.get("/me/").content.decode()


def test_dismissing_needs_a_post(client, noticed):
    client.force_login(noticed.learner)

    assert client.get(f"/me/notices/{noticed.pk}/dismiss/").status_code == 405


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/me/")
    return len(queries)


def test_the_dashboard_reads_notices_in_one_query_however_many(client, noticed):
    learner = noticed.learner
    client.force_login(learner)
    _queries(client)  # the first request also caches the site and the session

    def noticed_again(n: int) -> None:  # a new notice: the kept dashboard is built again
        change = RuleChange.objects.create(
            rule=noticed.change.rule, version=noticed.change.version + 100 + n,
            jurisdiction_name="Maryland", profession="PT", changes=["x"], guide_url="/",
        )  # fmt: skip
        RuleChangeNotice.objects.create(learner=learner, change=change, old_status="eligible",
                                        new_status="not_yet")  # fmt: skip

    noticed_again(0)
    two = _queries(client)
    for n in range(1, 5):
        noticed_again(n)

    assert _queries(client) == two


def test_the_email_of_a_learner_now_not_yet_links_the_plan_for_that_state(noticed, mailoutbox):
    [email] = mailoutbox

    assert "Plan what is still missing: http://127.0.0.1:8000/me/plan/?states=VA" in email.body
