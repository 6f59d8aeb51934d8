"""Every way in goes through allauth: its email verification, two-factor step and rate limits.

Wagtail's admin login, Wagtail's page-privacy login and Django's admin login are plain
Django login views; their paths lead to allauth's login and never sign anyone in. A staff
session that did not pass two-factor (signed in outside allauth) is refused the admins.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OLD_DOORS = ["/admin/login/", "/django-admin/login/", "/_util/login/"]
ALL_DOORS = [*OLD_DOORS, "/accounts/login/"]


def _current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _post_credentials(client, door: str, email: str, password: str):
    """The form fields each door's own login form uses (allauth's `login`, Django's
    `username`): both are sent, so every door gets its best chance to sign in."""
    return client.post(door, {"login": email, "username": email, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", OLD_DOORS)
@pytest.mark.parametrize("persona", ["registrar", "superuser", "learner"])
def test_it_never_signs_in_through_an_old_login_door(client, request, door, persona):
    user = request.getfixturevalue(persona)

    response = _post_credentials(client, door, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("door", "expected"),
    [
        ("/admin/login/?next=/admin/exports/", "/accounts/login/?next=%2Fadmin%2Fexports%2F"),
        ("/admin/login/", "/accounts/login/?next=%2Fadmin%2F"),
        ("/django-admin/login/?next=/django-admin/", "/accounts/login/?next=%2Fdjango-admin%2F"),
        ("/django-admin/login/", "/accounts/login/?next=%2Fdjango-admin%2F"),
        ("/_util/login/?next=/members/", "/accounts/login/?next=%2Fmembers%2F"),
        ("/_util/login/", "/accounts/login/"),
        ("/admin/login/?next=https://evil.example/", "/accounts/login/?next=%2Fadmin%2F"),
    ],
)
def test_an_old_login_door_leads_to_allauths_login_keeping_next(client, door, expected):
    response = client.get(door)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_private_page_asks_for_allauths_login(client):
    page = Page.objects.get(depth=2)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(page.url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={page.url}"


def test_a_registrar_reaches_exports_only_after_the_authenticator_code(client, registrar):
    client.post("/accounts/login/", {"login": registrar.email, "password": PASSWORD})
    assert client.get("/admin/exports/").status_code == 302

    client.post("/accounts/2fa/authenticate/", {"code": _current_code()})

    assert client.get("/admin/exports/").status_code == 200


def _password_only_session(user) -> Client:
    """Signed in by Django's own login, as the old doors did: no two-factor step."""
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def _bare_session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("make_session", [_password_only_session, _bare_session])
@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("registrar", "/admin/"),
        ("registrar", "/admin/exports/"),
        ("superuser", "/django-admin/"),
        ("registrar", "/accounts/2fa/totp/deactivate/"),
        ("registrar", "/accounts/email/"),
        ("registrar", "/me/"),
    ],
)
def test_a_staff_session_without_two_factor_is_asked_for_the_code(
    request, make_session, persona, path
):
    client = make_session(request.getfixturevalue(persona))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")


def test_a_staff_session_that_confirms_the_code_goes_on_to_the_admin(registrar):
    client = _bare_session(registrar)
    asked = client.get("/admin/exports/")
    assert asked["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fexports%2F"

    response = client.post(asked["Location"], {"code": _current_code()})

    assert response["Location"] == "/admin/exports/"
    assert client.get("/admin/exports/").status_code == 200


def test_a_wrong_code_leaves_the_staff_session_outside_the_admin(registrar):
    client = _bare_session(registrar)
    wrong = "000000" if _current_code() != "000000" else "111111"

    client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": wrong})

    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("door", ALL_DOORS)
@pytest.mark.parametrize("persona", ["learner", "registrar"])
def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_every_door(
    client, request, door, persona
):
    user = request.getfixturevalue(persona)
    for _ in range(30):
        _post_credentials(client, door, user.email, "wrong-password")

    response = _post_credentials(client, door, user.email, PASSWORD)

    assert not _signed_in(client)
    if door == "/accounts/login/":
        assert response.status_code == 429  # not even the two-factor step is reached


@pytest.mark.parametrize("door", ALL_DOORS)
def test_an_unverified_email_cannot_sign_in_through_any_door(client, door):
    user = UserFactory(email="unverified@example.test", verified_email=False)

    response = _post_credentials(client, door, user.email, PASSWORD)

    assert not _signed_in(client)
    if door == "/accounts/login/":
        assert response["Location"] == "/accounts/confirm-email/"
