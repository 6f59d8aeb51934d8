"""Roles: groups from the data migration, and who reaches the Wagtail and Django admins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_it_creates_exactly_the_three_roles():
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Instructor",
        "Learner",
        "Registrar",
    ]


def test_only_registrars_hold_the_admin_access_permission():
    holders = Group.objects.filter(permissions__codename="access_admin")

    assert list(holders.values_list("name", flat=True)) == ["Registrar"]


def test_it_sends_anonymous_visitors_of_the_admin_to_the_site_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_it_refuses_the_admin_to_learners_and_instructors(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/")

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/")
    assert client.get("/admin/pages/").status_code != 200


@pytest.mark.parametrize("persona", ["registrar", "superuser"])
def test_it_lets_registrars_and_superusers_into_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert b"Dashboard" in response.content


def test_a_registrar_can_edit_the_home_page(client, registrar):
    from cms.models import HomePage

    client.force_login(registrar)

    response = client.get(f"/admin/pages/{HomePage.objects.get().pk}/edit/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "home"), [("learner", "/me/"), ("instructor", "/teach/"), ("registrar", "/admin/")]
)
def test_it_keeps_djangos_admin_to_superusers(client, request, persona, home):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/django-admin/")

    assert (response.status_code, response["Location"]) == (302, home)  # their own page


def test_a_superuser_reaches_djangos_admin_at_its_own_path(client, superuser):
    client.force_login(superuser)

    assert client.get("/django-admin/").status_code == 200
