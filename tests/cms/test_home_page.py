"""The Wagtail home page, the site navigation and the demo seed."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry

from accounts.models import User
from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_a_fresh_database_serves_the_home_page(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b'<h1 id="page-title">Dry needling courses and certification</h1>' in response.content
    assert b"Post-graduate dry needling education" in response.content


def test_it_has_landmarks_and_a_skip_link(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    for landmark in (
        "<header",
        '<nav class="site-nav" id="site-nav" aria-label="Main">',
        '<main id="main"',
        "<footer",
    ):
        assert landmark in html


def test_navigation_lists_menu_pages_and_marks_the_current_one(client):
    home = HomePage.objects.get()
    home.add_child(instance=Page(title="About us", slug="about", show_in_menus=True))
    home.add_child(instance=Page(title="Hidden", slug="hidden", show_in_menus=False))

    html = client.get("/").content.decode()

    assert '<a href="/" aria-current="page">Home</a>' in html
    assert '<a href="/about/">About us</a>' in html
    assert "Hidden" not in html


def test_navigation_offers_sign_in_to_visitors_and_account_links_to_members(client, learner):
    assert b"Sign up" in client.get("/").content

    client.force_login(learner)
    html = client.get("/").content.decode()

    assert "My account" in html and "Sign out" in html
    assert 'href="/admin/"' not in html


def test_navigation_shows_the_admin_link_to_registrars(client, registrar):
    client.force_login(registrar)

    assert b'href="/admin/">Admin</a>' in client.get("/").content


def test_seed_demo_creates_one_verified_account_per_role(capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    for email in ("learner@example.com", "instructor@example.com", "registrar@example.com"):
        assert email in out
        assert EmailAddress.objects.get(email=email).verified
    assert User.objects.get(email="registrar@example.com").groups.filter(name="Registrar")
    assert User.objects.get(email="instructor@example.com").groups.filter(name="Instructor")


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    before = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == before


def _snapshot() -> dict[str, object]:
    return {
        "users": sorted(User.objects.values_list("email", "password", "last_login")),
        "pages": sorted(Page.objects.values_list("pk", "title", "latest_revision_id")),
        "page_log": PageLogEntry.objects.count(),
        "emails": EmailAddress.objects.count(),
    }


def test_an_unknown_address_gets_the_sites_own_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content
    assert b"Skip to main content" in response.content


@pytest.mark.parametrize("menu_pages", [1, 10])
def test_the_home_page_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, menu_pages, learner
):
    home = HomePage.objects.get()
    for n in range(menu_pages):
        home.add_child(instance=Page(title=f"Menu page {n}", slug=f"menu-{n}", show_in_menus=True))
    client.force_login(learner)
    client.get("/")  # warms Wagtail's per-process site cache and the kept menu

    # site, page route, its ancestors' aliases, view restrictions, upcoming offerings (none
    # here); the session (cached_db) and the user with their roles (accounts/user_cache.py)
    # come from the cache and the menu is kept (config/page_cache.py): none per menu item
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


def test_a_second_anonymous_visit_to_the_home_page_costs_no_query(
    client, django_assert_num_queries
):
    client.get("/")

    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
