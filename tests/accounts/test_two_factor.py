"""Two-factor (TOTP): offered to everyone, required for staff before anything else."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.demo import DEMO_REGISTRAR_EMAIL, DEMO_REGISTRAR_TOTP_SECRET, demo_accounts_seed
from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, user) -> None:
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def _confirm_password(client) -> None:
    """allauth asks for the password again before two-factor can be turned on."""
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})


def test_it_offers_two_factor_setup_to_a_learner(client, learner):
    _sign_in(client, learner)
    _confirm_password(client)

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert b"Authenticator secret" in response.content


def test_it_does_not_force_two_factor_on_a_learner(client, learner):
    client.force_login(learner)

    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_it_sends_staff_without_two_factor_to_set_it_up(client, registrar_without_mfa, path):
    _sign_in(client, registrar_without_mfa)

    response = client.get(path, follow=True)

    assert response.redirect_chain[0][0] == "/accounts/2fa/totp/activate/"
    assert b"Staff accounts must turn on two-factor authentication" in response.content
    _confirm_password(client)
    assert b"Authenticator secret" in client.get("/accounts/2fa/totp/activate/").content


def test_a_registrar_who_activates_two_factor_reaches_the_admin(client, registrar_without_mfa):
    _sign_in(client, registrar_without_mfa)
    assert client.get("/admin/").status_code == 302
    _confirm_password(client)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]

    client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    # Activating proves the device, not this sign-in: the session confirms a code once.
    asked = client.get("/admin/")
    assert asked["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"
    client.post(asked["Location"], {"code": _current_code(secret)})

    assert client.get("/admin/").status_code == 200


def test_staff_login_asks_for_the_authenticator_code(client, registrar):
    response = client.post("/accounts/login/", {"login": registrar.email, "password": PASSWORD})

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    client.post("/accounts/2fa/authenticate/", {"code": _current_code(TOTP_SECRET)})

    assert client.session["_auth_user_id"] == str(registrar.pk)


def test_a_wrong_authenticator_code_keeps_staff_out(client, registrar):
    client.post("/accounts/login/", {"login": registrar.email, "password": PASSWORD})
    wrong = "000000" if _current_code(TOTP_SECRET) != "000000" else "111111"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert b"Incorrect code." in response.content
    assert "_auth_user_id" not in client.session


def test_demo_totp_refuses_outside_debug(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_totp")


@override_settings(DEBUG=True)
def test_demo_totp_prints_the_demo_registrars_current_code(db, capsys):
    demo_accounts_seed()

    call_command("demo_totp")

    assert capsys.readouterr().out.strip() == _current_code(DEMO_REGISTRAR_TOTP_SECRET)
    assert DEMO_REGISTRAR_EMAIL == "registrar@example.com"
