"""The registrar's dashboard: work queues with their counts, licenses expiring soon, and the
coming offerings with seats, holds, waitlist and revenue, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrollment, Payment
from learners.models import License, OutsideTraining, Profession
from tests.factories import catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _queue(page: str, name: str) -> str:
    return re.search(rf'data-queue="{name}">(\d+)<', page)[1]


def _license(learner, number, *, status="unverified", expires=dt.date(2028, 1, 1)):
    return License.objects.create(
        learner=learner, profession=Profession.objects.get(code="PT"), jurisdiction="VA",
        number=number, issued_on=dt.date(2019, 1, 1), expires_on=expires, status=status,
    )  # fmt: skip


def test_the_work_queues_count_what_waits(client, registrar, learner, other_learner):
    _license(learner, "A-1")
    _license(other_learner, "A-2", status="verified", expires=dt.date(2027, 1, 10))
    OutsideTraining.objects.create(
        learner=learner, provider="P", title="T", started_on=dt.date(2026, 1, 1),
        ended_on=dt.date(2026, 1, 2), hours=8, in_person_hours=8, evidence="x.pdf",
        evidence_type="application/pdf",
    )  # fmt: skip
    offering = catalog_offering(first_day=dt.date(2026, 12, 14))
    seat = Enrollment.objects.create(learner=learner, offering=offering, status="cancelled")
    Payment.objects.create(
        enrollment=seat, amount_cents=89500, currency="usd", status="succeeded",
        attention_reason="Paid after the hold lapsed; no seat was free.",
    )  # fmt: skip
    client.force_login(registrar)

    page = client.get("/admin/").content.decode()

    assert (_queue(page, "licenses"), _queue(page, "outside"), _queue(page, "payments")) == (
        "1",
        "1",
        "1",
    )
    assert (_queue(page, "certificates"), _queue(page, "expiring")) == ("0", "1")
    assert "A-2" in page  # expiring on 10 January 2027


def test_coming_offerings_show_fill_holds_waitlist_and_revenue(
    client, registrar, learner, other_learner
):
    offering = catalog_offering(first_day=dt.date(2026, 12, 14), capacity=4)
    paid = Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    Payment.objects.create(enrollment=paid, amount_cents=89500, currency="usd", status="succeeded")
    Enrollment.objects.create(learner=other_learner, offering=offering, status="waitlisted")
    client.force_login(registrar)

    page = client.get("/admin/").content.decode()

    row = page[page.index("DN-1, Richmond") :]
    row = row[: row.index("</tr>")]
    assert "<td>1 / 4 (25%)</td>" in row and "<td>$895</td>" in row
    assert "<td>0</td>\n                        <td>1</td>" in row  # no live hold, one waiting


def test_the_dashboard_reads_a_fixed_number_of_queries(client, registrar):
    client.force_login(registrar)
    client.get("/admin/")
    catalog_offering(first_day=dt.date(2026, 12, 14))  # both counts: the panels rebuilt
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/")
    for n, city in enumerate(["Denver", "Austin", "Phoenix"]):
        catalog_offering(first_day=dt.date(2026, 12, 20 + n), venue=catalog_venue(city))
    with CaptureQueriesContext(connection) as four:
        client.get("/admin/")

    assert len(four) == len(one)


def test_learners_do_not_get_the_dashboard(client, learner):
    client.force_login(learner)

    response = client.get("/admin/")

    assert response.status_code in (302, 403) and b"Work queues" not in response.content


def test_a_license_verified_leaves_the_kept_work_queue_at_once(client, registrar, learner):
    from learners.services import license_review

    license = _license(learner, "A-1")
    client.force_login(registrar)
    assert _queue(client.get("/admin/").content.decode(), "licenses") == "1"

    license_review(registrar=registrar, license_id=license.pk, verified=True, reason="")

    assert _queue(client.get("/admin/").content.decode(), "licenses") == "0"


def test_a_seat_taken_shows_at_once_on_the_kept_offerings_panel(client, registrar, learner):
    offering = catalog_offering(first_day=dt.date(2026, 12, 14), capacity=4)
    client.force_login(registrar)
    assert "<td>0 / 4 (0%)</td>" in client.get("/admin/").content.decode()

    Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")

    assert "<td>1 / 4 (25%)</td>" in client.get("/admin/").content.decode()


def test_a_lapsed_hold_leaves_the_kept_panel_within_a_minute(
    client, registrar, learner, frozen_today
):
    import time_machine
    from django.utils import timezone

    offering = catalog_offering(first_day=dt.date(2026, 12, 14), capacity=4)
    Enrollment.objects.create(
        learner=learner, offering=offering, status="held",
        hold_expires_at=timezone.now() + dt.timedelta(seconds=30),
    )  # fmt: skip
    client.force_login(registrar)
    held = client.get("/admin/").content.decode()

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
        lapsed = client.get("/admin/").content.decode()

    assert "<td>1</td>" in held[held.index("DN-1, Richmond") :].split("</tr>")[0]
    assert "<td>1</td>" not in lapsed[lapsed.index("DN-1, Richmond") :].split("</tr>")[0]


def test_a_second_visit_reads_the_kept_panels_without_counting_again(client, registrar):
    client.force_login(registrar)
    client.get("/admin/")

    with CaptureQueriesContext(connection) as again:
        client.get("/admin/")

    counted = (
        "learners_license",
        "learners_outsidetraining",
        "courses_payment",
        "courses_offering",
    )
    assert not [q["sql"] for q in again if any(table in q["sql"] for table in counted)]
