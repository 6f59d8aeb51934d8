"""Course pages show the catalog's facts; structured data, sitemap, robots, search."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.models import CourseIndexPage, CoursePage, HomePage, StandardPage
from courses.models import CEUApproval, Offering
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def course_page(db):
    course = catalog_course("DN-2", title="Dry Needling 2", summary="The upper quarter.")
    CEUApproval.objects.create(course=course, approving_body="Demo Board", jurisdiction="VA",
                               approval_number="VA-123", hours=27)  # fmt: skip
    index = HomePage.objects.get().add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    faq = {"heading": "FAQ", "questions": [{"question": "Lunch?", "answer": "<p>No.</p>"}]}
    body = [
        ("objectives", {"heading": "Learning objectives", "items": ["Needle safely"]}),
        ("faq", faq),
    ]
    page = index.add_child(
        instance=CoursePage(title="Dry Needling 2", slug="dn-2", course=course, body=body)
    )
    page.save_revision().publish()
    return page


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_the_course_page_shows_price_hours_and_approvals_from_the_catalog(client, course_page):
    html = client.get("/courses/dn-2/").content.decode()

    assert "$895" in html and "27 (27 in person)" in html
    assert "VA-123" in html and "Demo Board" in html
    assert "Needle safely" in html and "Lunch?" in html

    course = course_page.course
    course.price_cents = 92500
    course.save()
    assert "$925" in client.get("/courses/dn-2/").content.decode()


def test_the_course_page_lists_its_upcoming_offerings_only(client, course_page):
    mine = catalog_offering(course=course_page.course, first_day=dt.date(2027, 3, 14))
    other = catalog_offering(course=catalog_course("DN-1"), first_day=dt.date(2027, 3, 20))

    html = client.get("/courses/dn-2/").content.decode()

    assert f"/offerings/{mine.pk}/" in html
    assert f"/offerings/{other.pk}/" not in html


def test_the_course_page_carries_course_and_course_instance_json_ld(
    client, course_page, instructor
):
    seattle = catalog_venue("Seattle", "WA", "America/Los_Angeles")
    catalog_offering(
        course=course_page.course,
        first_day=dt.date(2027, 3, 14),
        instructors=[instructor],
        venue=seattle,
    )

    data = _json_ld(client.get("/courses/dn-2/").content.decode())

    assert data["@type"] == "Course"
    assert data["courseCode"] == "DN-2"
    assert data["offers"] == {"@type": "Offer", "category": "Paid", "price": "895",
                              "priceCurrency": "USD"}  # fmt: skip
    [instance] = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["startDate"] == "2027-03-14" and instance["endDate"] == "2027-03-16"
    assert instance["location"]["address"]["addressRegion"] == "WA"
    assert instance["instructor"] == [{"@type": "Person", "name": instructor.get_full_name()}]
    assert instance["offers"]["availability"] == "https://schema.org/InStock"


def test_pages_carry_a_meta_description_and_open_graph_tags(client, course_page):
    course_page.search_description = "Learn upper-quarter dry needling."
    course_page.save_revision().publish()

    html = client.get("/courses/dn-2/").content.decode()

    assert '<meta name="description" content="Learn upper-quarter dry needling.">' in html
    assert '<meta property="og:title" content="Dry Needling 2">' in html
    assert '<meta property="og:url" content="http://testserver/courses/dn-2/">' in html


def test_the_sitemap_lists_live_pages_and_upcoming_offerings(client, course_page):
    offering = catalog_offering(course=course_page.course)
    draft = catalog_offering(course=course_page.course, status="draft",
                             first_day=dt.date(2027, 5, 1))  # fmt: skip

    xml = client.get("/sitemap.xml").content.decode()

    assert "/courses/dn-2/</loc>" in xml
    assert f"<loc>http://testserver/offerings/{offering.pk}/</loc>" in xml
    assert f"/offerings/{draft.pk}/" not in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text and "Disallow: /accounts/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_site_search_finds_pages_by_their_text(client, course_page):
    html = client.get("/search/?q=Dry+Needling").content.decode()

    assert 'href="/courses/dn-2/"' in html
    assert "1 result for" in html or "results for" in html
    assert "0 results" in client.get("/search/?q=zzzunknownzzz").content.decode()


def test_the_policies_page_renders_the_standard_refund_tiers(client):
    page = HomePage.objects.get().add_child(instance=StandardPage(
        title="Policies", slug="policies", body=[("refund_policy", None)]
    ))  # fmt: skip
    page.save_revision().publish()

    html = client.get("/policies/").content.decode()

    assert "At least 28 days before the first day</td><td>100%" in html
    assert "At least 14 days before the first day</td><td>50%" in html


@pytest.mark.parametrize("count", [5, 200])
def test_the_course_page_uses_a_fixed_number_of_queries(
    client, course_page, django_assert_max_num_queries, instructor, count
):
    venue = catalog_venue()
    for n in range(count):
        catalog_offering(course=course_page.course, venue=venue, instructors=[instructor],
                         first_day=dt.date(2027, 1, 1) + dt.timedelta(days=4 * n))  # fmt: skip
    client.get("/courses/dn-2/")

    # site, routing one tree level at a time (5), ancestors, view restrictions, course,
    # offerings, days, instructors, menu, professions, prerequisites, CEU approvals
    with django_assert_max_num_queries(16):
        assert client.get("/courses/dn-2/").status_code == 200


def test_seed_demo_builds_a_catalog_worth_a_demo(client):
    call_command("seed_demo")

    offerings = list(Offering.objects.select_related("venue").prefetch_related("days"))
    assert len(offerings) >= 8
    assert len({o.venue.region for o in offerings}) >= 5
    statuses = {o.status for o in offerings}
    assert {"completed", "open", "cancelled"} <= statuses
    firsts = [min(d.date for d in o.days.all()) for o in offerings]
    assert any(d < dt.date(2026, 11, 1) for d in firsts)  # past
    assert any(d.year == 2026 and d.month == 11 for d in firsts)  # this month
    assert sum(d > dt.date(2026, 11, 30) for d in firsts) >= 4  # upcoming
    html = client.get("/offerings/").content.decode()
    assert ">Full<" in html and ">Cancelled<" in html
    for slug in ("dn-1", "dn-2"):
        page = client.get(f"/courses/{slug}/").content.decode()
        assert "Learning objectives" in page and "Day 3:" in page
    assert Page.objects.filter(slug="policies").exists()
