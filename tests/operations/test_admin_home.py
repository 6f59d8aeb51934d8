"""The admin home, kept whole per registrar: what waits for a registrar shows on the very next
request (a payment needing a decision, a license to verify, a rule due for review), the menu
follows their permissions, every session gets its own CSRF token, and a second visit reads
only the queries of the admin's door."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import REGISTRAR
from certification.models import JurisdictionRule
from certification.rules import rules_save
from courses.services.enrollment import enrollment_hold
from learners.models import Profession
from tests.conftest import SignedInClient
from tests.courses.test_enrollment_hold import NOW, licensed_learner
from tests.courses.test_webhook import _authenticated_3ds_payment, _deliver, _event

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'"CSRF_TOKEN": "([A-Za-z0-9]+)"')


def _queue(page: str, name: str) -> str:
    return re.search(rf'data-queue="{name}">(\d+)<', page)[1]


def _home(client: Client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("localstripe")
def test_it_shows_a_payment_needing_a_decision_on_the_next_request(client, registrar, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
    held, payment = _authenticated_3ds_payment(capacity=1)
    later = NOW + dt.timedelta(minutes=20)
    enrollment_hold(learner=licensed_learner(), offering_id=held.offering_id, now=later)
    client.force_login(registrar)
    with time_machine.travel(later, tick=False):
        before = _queue(_home(client), "payments")

        # Stripe reports the payment after its hold lapsed and the seat went to another.
        _deliver(Client(), _event("payment_intent.succeeded", payment.stripe_payment_intent_id))
        after = _queue(_home(client), "payments")

    assert (before, after) == ("0", "1")


@pytest.mark.usefixtures("frozen_today")
def test_it_shows_a_license_waiting_for_review_on_the_next_request(client, registrar, learner):
    client.force_login(registrar)
    before = _queue(_home(client), "licenses")
    as_learner = SignedInClient()
    as_learner.force_login(learner)

    added = as_learner.post("/me/licenses/add/", {
        "profession": Profession.objects.get(code="PT").pk, "jurisdiction": "VA",
        "number": "0101-123456", "issued_on": "2019-05-01", "expires_on": "2027-06-30",
    })  # fmt: skip

    assert added.status_code == 302
    assert (before, _queue(_home(client), "licenses")) == ("0", "1")


def _rule(state: str, last_reviewed: dt.date) -> JurisdictionRule:
    return JurisdictionRule(
        name=f"{state} PT", jurisdiction=state, profession=Profession.objects.get(code="PT"),
        status="permitted", last_reviewed=last_reviewed,
    )  # fmt: skip


def test_it_shows_a_rule_due_for_review_on_the_next_request_and_the_next_day(
    client, registrar, frozen_today
):
    client.force_login(registrar)
    recent = _rule("VA", last_reviewed=frozen_today - dt.timedelta(days=365))
    rules_save(new=[recent], reason="Loaded")
    before = _queue(_home(client), "rules")

    # The loader writes in bulk: no save signal, yet the queue must count the new rule.
    rules_save(new=[_rule("MD", last_reviewed=dt.date(2024, 1, 2))], reason="Loaded")
    after_load = _queue(_home(client), "rules")
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), tick=False):
        next_day = _queue(_home(client), "rules")  # the first rule is a year and a day old

    assert (before, after_load, next_day) == ("0", "1", "2")


def test_the_menu_follows_a_permission_given_to_the_role(client, registrar):
    client.force_login(registrar)
    before = _home(client)

    Group.objects.get(name=REGISTRAR).permissions.add(
        Permission.objects.get(content_type__app_label="wagtailcore", codename="add_site")
    )

    after = _home(client)
    assert '"Sites"' not in before and '"Sites"' in after


def test_each_session_gets_its_own_csrf_token(registrar):
    first = SignedInClient(enforce_csrf_checks=True)
    second = SignedInClient(enforce_csrf_checks=True)
    first.force_login(registrar)
    second.force_login(registrar)

    first_token = TOKEN.search(_home(first))[1]
    second_page = _home(second)  # the kept page, built for the first session
    second_token = TOKEN.search(second_page)[1]

    assert first_token not in second_page
    assert second.post("/admin/", HTTP_X_CSRFTOKEN=first_token).status_code == 403
    # Past the CSRF check, the home refuses a POST as Wagtail's does.
    assert second.post("/admin/", HTTP_X_CSRFTOKEN=second_token).status_code == 405


def test_the_sidebar_stays_as_the_registrar_left_it(client, registrar):
    client.force_login(registrar)
    _home(client)

    client.cookies["wagtail_sidebar_collapsed"] = "1"
    collapsed = _home(client)
    client.cookies["wagtail_sidebar_collapsed"] = "0"

    assert "sidebar-collapsed" in collapsed and "sidebar-collapsed" not in _home(client)


def test_a_second_visit_reads_nothing_from_the_database(client, registrar):
    client.force_login(registrar)
    _home(client)

    with CaptureQueriesContext(connection) as again:
        page = _home(client)

    # The person, their roles, permissions, authenticator and Wagtail profile come from the
    # shared cache (accounts/user_cache.py), the page from the kept copy.
    assert [query["sql"] for query in again] == []
    assert "Work queues" in page and "wagtail-sidebar-props" in page
