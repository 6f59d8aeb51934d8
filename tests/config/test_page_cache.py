"""Public pages kept whole for anonymous visitors (config/page_cache.py): a change shows at
once, a signed-in visitor or a page with a personal cookie is never served from the cache."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
from django.http import HttpResponse
from django.test import Client

from certification.models import Program
from certification.rules import rules_load
from cms.models import HomePage, StateGuidePage
from cms.state_guides import state_guides_ensure
from config.page_cache import _zipped, html_compacted, pages_version
from courses.services.enrollment import enrollment_hold
from tests.certification.helpers import rules_file_changed
from tests.courses.test_enrollment_hold import licensed_learner
from tests.factories import catalog_offering

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def offering():
    return catalog_offering(capacity=3, first_day=dt.date(2027, 1, 15))


def test_it_serves_a_second_anonymous_visit_without_touching_the_database(
    client, offering, django_assert_num_queries
):
    first = client.get(f"/offerings/{offering.pk}/")

    with django_assert_num_queries(0):
        second = client.get(f"/offerings/{offering.pk}/")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_it_shows_a_seat_taken_at_once_on_the_cached_offering_pages(client, offering):
    assert "3 seats left" in client.get(f"/offerings/{offering.pk}/").content.decode()
    assert "3 seats left" in client.get("/offerings/").content.decode()

    enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    assert "2 seats left" in client.get(f"/offerings/{offering.pk}/").content.decode()
    assert "2 seats left" in client.get("/offerings/").content.decode()


def test_it_shows_a_published_page_change_at_once(client):
    home = HomePage.objects.get()
    assert "Fresh introduction" not in client.get("/").content.decode()

    home.intro = "<p>Fresh introduction</p>"
    home.save_revision().publish()

    assert "Fresh introduction" in client.get("/").content.decode()


def test_it_keeps_a_draft_off_the_public_page(client):
    home = HomePage.objects.get()
    client.get("/")

    home.intro = "<p>Not published yet</p>"
    home.save_revision()

    assert "Not published yet" not in client.get("/").content.decode()


def test_it_shows_a_rule_change_on_the_state_guide_at_once(client, rules, tmp_path):
    state_guides_ensure()
    assert (
        "A written referral specific to dry needling."
        in client.get("/states/virginia/").content.decode()
    )
    rules_load(
        rules_file_changed(tmp_path, "VA", "PT", conditions=["A referral from the board itself."])
    )

    page = client.get("/states/virginia/").content.decode()
    assert "A referral from the board itself." in page
    assert "A written referral specific to dry needling." not in page


def test_it_never_serves_the_anonymous_page_to_a_signed_in_visitor(client, offering, learner):
    client.get(f"/offerings/{offering.pk}/")
    signed_in = Client()
    signed_in.force_login(learner)

    page = signed_in.get(f"/offerings/{offering.pk}/").content.decode()

    assert "My progress" in page
    assert "My progress" not in client.get(f"/offerings/{offering.pk}/").content.decode()


def test_it_neither_serves_nor_keeps_a_page_for_a_visitor_with_a_flash_message(
    client, offering, django_assert_max_num_queries
):
    client.get(f"/offerings/{offering.pk}/")
    flashed = Client()
    flashed.cookies["messages"] = "anything"

    with django_assert_max_num_queries(50) as queries:
        flashed.get(f"/offerings/{offering.pk}/")

    assert len(queries) > 0  # rendered for this visitor, not taken from the cache


def test_a_guide_with_a_cached_page_keeps_its_editors_text_after_publishing(client, rules):
    state_guides_ensure()
    client.get("/states/virginia/")
    guide = StateGuidePage.objects.get(jurisdiction="VA")
    guide.intro = "<p>Plan for the referral.</p>"
    guide.save_revision().publish()

    assert "Plan for the referral." in client.get("/states/virginia/").content.decode()


def test_a_link_added_between_shown_rows_makes_a_new_version(offering):
    program = Program.objects.create(code="BENCH", name="A program", min_hours=54, window_months=24)
    before = pages_version()

    program.required_courses.add(offering.course)  # saves no row: a many-to-many link

    assert pages_version() != before


def test_a_long_address_is_kept_without_a_cache_key_warning(client, recwarn):
    address = "/calculator/?profession=PT&hours_from=rows" + "".join(
        f"&row{n}_date=&row{n}_hours=&row{n}_in_person=on" for n in range(6)
    )
    assert len("http://testserver" + address) > 250

    first, second = client.get(address), client.get(address)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]


def _shown(html: bytes) -> str:
    """The page as a browser lays it out: every run of whitespace one space, form tokens out."""
    return " ".join(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.decode()).split())


def test_a_kept_page_loses_its_indentation_and_shows_the_same(client, offering):
    address = f"/offerings/{offering.pk}/"
    kept = client.get(address)
    with_a_form_token = Client()
    with_a_form_token.cookies["csrftoken"] = "x" * 32  # never kept: left as the template wrote it
    as_written = with_a_form_token.get(address)

    assert b"\n " in as_written.content and b"\n " not in kept.content
    assert len(kept.content) < 0.9 * len(as_written.content)
    assert int(kept["Content-Length"]) == len(kept.content)
    assert _shown(kept.content) == _shown(as_written.content)
    assert client.get(address).content == kept.content  # the kept copy itself


def test_whitespace_shown_as_written_is_left_whole():
    written = b"<main>\n  <pre>\n  two  spaces\n</pre>\n</main>"
    response = HttpResponse(written, content_type="text/html; charset=utf-8")

    html_compacted(response)

    assert response.content == written


BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def test_a_browser_that_accepts_gzip_is_sent_the_kept_page_compressed(
    client, offering, django_assert_num_queries
):
    address = f"/offerings/{offering.pk}/"
    first = client.get(address, **BROWSER)  # rendered now, both twins kept
    with django_assert_num_queries(0):
        second = client.get(address, **BROWSER)
        plain = client.get(address)

    for zipped in (first, second):
        assert zipped["Content-Encoding"] == "gzip"
        assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 2
        assert gzip.decompress(zipped.content) == plain.content
        assert zipped["Content-Type"] == plain["Content-Type"]
        assert zipped["Content-Security-Policy"] == plain["Content-Security-Policy"]
    assert not plain.has_header("Content-Encoding")
    assert all("Accept-Encoding" in r["Vary"] for r in (first, second, plain))


def test_a_compressed_page_changes_with_the_page(client, offering):
    address = f"/offerings/{offering.pk}/"
    assert b"3 seats left" in gzip.decompress(client.get(address, **BROWSER).content)

    enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    assert b"2 seats left" in gzip.decompress(client.get(address, **BROWSER).content)


def test_a_kept_answer_too_small_to_gain_is_kept_as_it_is():
    response = HttpResponse(b"ok", content_type="text/plain")
    assert _zipped(response) is response
    big = HttpResponse(b"x" * 5000, content_type="text/plain")
    assert gzip.decompress(_zipped(big).content) == b"x" * 5000


def test_the_evaluate_api_answer_is_sent_compressed_and_counted(client, rules):
    question = {"jurisdiction": "ALL", "profession": "PT",
                "hours": [{"date": "2026-03-14", "hours": 27, "in_person": True}]}  # fmt: skip
    asked = [client.post("/api/v1/eligibility/evaluate", question,
                         content_type="application/json", **BROWSER) for _ in range(2)]  # fmt: skip
    plain = client.post("/api/v1/eligibility/evaluate", question, content_type="application/json")

    assert [a.status_code for a in asked] == [200, 200]
    assert all(a["Content-Encoding"] == "gzip" for a in asked)
    assert json.loads(gzip.decompress(asked[1].content)) == plain.json()
