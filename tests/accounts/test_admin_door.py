"""A signed-in learner or instructor who opens an admin goes to their own home with one
message (issue 16): no redirect loop through the login page, no stack of refusals."""

from __future__ import annotations

import pytest

from accounts.middleware import ADMIN_NOT_FOR_YOU

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "path", "home"),
    [
        ("learner", "/admin/", "/me/"),
        ("learner", "/admin/snippets/courses/enrollment/", "/me/"),
        ("instructor", "/admin/", "/teach/"),
        ("learner", "/django-admin/", "/me/"),
        ("registrar", "/django-admin/", "/admin/"),  # Django's admin is for superusers
    ],
)
def test_it_sends_a_person_without_admin_access_home_with_one_message(
    client, request, persona, path, home
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(path, follow=True)

    assert response.redirect_chain == [(home, 302)]
    assert response.status_code == 200
    assert response.content.decode().count(ADMIN_NOT_FOR_YOU) == 1
    assert "You do not have permission" not in response.content.decode()


def test_a_visitor_opening_the_admin_is_asked_to_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_registrar_still_reaches_the_admin(client, registrar):
    client.force_login(registrar)

    assert client.get("/admin/").status_code == 200
