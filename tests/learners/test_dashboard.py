"""The learner's dashboard and transcript: totals, certification progress, chart, next course,
a fixed number of queries whatever the ledger's size, and the transcript's contents."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from courses.models import Enrollment
from learners.ledger import hours_entry_correct, hours_entry_record
from learners.models import HoursEntry
from tests.factories import catalog_course, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "program")]
TODAY = dt.date(2026, 11, 23)


def _outside(learner, recorder, n, date=dt.date(2026, 1, 5)):
    return [
        HoursEntry(learner=learner, date=date - dt.timedelta(days=i % 300), hours=Decimal("0.25"),
                   mode="online", source="outside", recorded_by=recorder)
        for i in range(n)
    ]  # fmt: skip


def test_the_dashboard_shows_totals_and_progress_toward_certification(client, learner, class_days):
    client.force_login(learner)

    page = client.get("/me/").content.decode()

    assert '<dd data-testid="total-hours">27</dd>' in page
    assert "27 of 54 hours (20 Nov 2026 – 19 Nov 2027)" in page
    assert "DN-1 completed" in page and "A verified, current license" in page
    assert "0 of 4 requirements met" in page


def test_the_chart_draws_this_months_hours(client, learner, class_days):
    client.force_login(learner)

    page = client.get("/me/").content.decode()

    assert '<th scope="row">November 2026</th><td>27</td><td>0</td>' in page
    assert 'height="120"' in page  # the busiest month is the full height


def test_the_next_course_is_the_soonest_confirmed_one(client, learner, class_days):
    later = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 3, 14))
    Enrollment.objects.create(learner=learner, offering=later, status="confirmed")
    client.force_login(learner)

    page = client.get("/me/").content.decode()

    assert "Sunday 14 March 2027" in page


def test_it_links_my_plan_beside_the_state_self_check(client, learner, class_days):
    client.force_login(learner)

    page = client.get("/me/").content.decode()

    self_check = page.index('<a href="/me/eligibility/">May I dry needle there yet?')
    plan = page.index('<a href="/me/plan/">My plan: what to book, and by when</a>')
    assert 0 < plan - self_check < 200  # the next link in the same list
    assert "<h1>My plan</h1>" in client.get("/me/plan/").content.decode()


def test_the_dashboard_needs_a_login(client):
    assert client.get("/me/").status_code == 302


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").status_code == 200
    return len(queries)


def test_the_dashboard_reads_the_same_number_of_queries_for_10_and_2000_entries(
    client, learner, instructor, class_days
):
    client.force_login(learner)
    HoursEntry.objects.bulk_create(_outside(learner, instructor, 6))
    _queries(client)  # the first request also caches the site and the session
    HoursEntry.objects.bulk_create(_outside(learner, instructor, 1))
    small = _queries(client)  # a new entry: the page is built again

    HoursEntry.objects.bulk_create(_outside(learner, instructor, 1990))
    assert HoursEntry.objects.filter(learner=learner).count() == 2000
    assert _queries(client) == small
    # unchanged: as kept (the user, their roles, the fingerprint, the rule-change notices)
    assert _queries(client) <= 4


def test_the_transcript_lists_every_entry_with_corrections_as_such(
    client, learner, instructor, class_days
):
    hours_entry_correct(
        entry=class_days[2], hours=Decimal(6), reason="Left at 2 pm", recorded_by=instructor
    )
    client.force_login(learner)

    rows = list(csv.DictReader(io.StringIO(client.get("/me/transcript.csv").content.decode())))

    assert [r["hours"] for r in rows] == ["9.00", "9.00", "9.00", "-3.00"]
    correction = rows[-1]
    assert (
        correction["source"]
        == f"Correction of entry {class_days[2].pk}: DN-1 Dry Needling 1, Richmond"
    )
    assert (correction["corrects"], correction["note"], correction["date"]) == (
        str(class_days[2].pk),
        "Left at 2 pm",
        "2026-11-22",
    )
    assert rows[0]["recorded_by"] == instructor.get_full_name() and rows[0]["mode"] == "In person"

    pdf = client.get("/me/transcript.pdf").getvalue()
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Jordan Avery Lee" in text
    assert "Correction of entry" in text and "Left at 2 pm" in text
    assert "All hours: 24" in text


def test_the_transcript_costs_the_same_queries_whatever_the_ledgers_size(
    client, learner, instructor, class_days
):
    client.force_login(learner)
    client.get("/me/transcript.csv")  # the signed-in user is read once, then kept
    with CaptureQueriesContext(connection) as three_entries:
        client.get("/me/transcript.csv")
    dn2 = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2026, 11, 10),
                           instructors=[instructor], status="closed")  # fmt: skip
    for day in dn2.days.all():
        hours_entry_record(learner=learner, date=day.date, hours=Decimal(9), mode="in_person",
                           source="course_day", recorded_by=instructor, today=TODAY,
                           course_day_id=day.pk)  # fmt: skip
    HoursEntry.objects.bulk_create(_outside(learner, instructor, 40))

    with CaptureQueriesContext(connection) as many_entries:
        rows = list(csv.DictReader(io.StringIO(client.get("/me/transcript.csv").content.decode())))

    assert len(rows) == 46 and "DN-2 Dry Needling 2, Richmond" in {r["source"] for r in rows}
    assert len(many_entries) == len(three_entries)


def test_the_transcript_shows_only_the_learners_own_entries(client, other_learner, class_days):
    client.force_login(other_learner)

    rows = list(csv.DictReader(io.StringIO(client.get("/me/transcript.csv").content.decode())))

    assert rows == []


def test_the_dashboard_follows_each_licensed_state(client, learner, class_days, rules):
    from learners.models import License, Profession

    License.objects.create(
        learner=learner, profession=Profession.objects.get(code="PT"), jurisdiction="VA",
        number="0101-1", issued_on=dt.date(2019, 5, 1), expires_on=dt.date(2028, 6, 30),
    )  # fmt: skip
    client.force_login(learner)

    page = client.get("/me/").content.decode()

    states = page[page.index('id="states-title"') : page.index('id="totals-title"')]
    assert "Virginia" in states and "… Not yet" in states
    assert "27 of 54 hours" in states
