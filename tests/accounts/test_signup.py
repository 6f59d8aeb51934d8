"""Sign-up by email, mandatory verification, login, logout, password reset and change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-longer-passphrase"


def _sign_up(client, email="new.clinician@example.test", password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def _link_in_last_email(path_fragment: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/accounts/{path_fragment}[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_signs_up_by_email_and_sends_a_verification_link(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.clinician@example.test")
    assert not hasattr(user, "username") or user.username is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.clinician@example.test"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_it_makes_every_new_account_a_learner(client):
    _sign_up(client)

    user = User.objects.get(email="new.clinician@example.test")
    assert list(user.groups.values_list("name", flat=True)) == ["Learner"]


def test_it_refuses_login_until_the_email_is_verified(client):
    _sign_up(client)
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "new.clinician@example.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_it_logs_in_after_following_the_verification_link(client):
    _sign_up(client)
    client.logout()
    confirm_path = _link_in_last_email("confirm-email/")

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"new.clinician@example.test" in page.content
    client.post(confirm_path)
    response = client.post(
        "/accounts/login/",
        {"login": "new.clinician@example.test", "password": PASSWORD},
        follow=True,
    )

    assert response.wsgi_request.user.email == "new.clinician@example.test"
    # A new learner's first stop is the profile step.
    assert response.redirect_chain[-1][0] == "/me/profile/?next=%2F"


def test_it_creates_no_second_account_for_a_known_email_and_tells_its_owner(client, learner):
    response = _sign_up(client, email=learner.email.upper())

    # Same answer as a fresh sign-up, so the form cannot be used to probe for accounts.
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    assert mail.outbox[-1].to == [learner.email]
    assert "already" in mail.outbox[-1].body


def test_it_refuses_a_weak_password_and_creates_nothing(client):
    response = _sign_up(client, password="12345678")

    assert b"This password is entirely numeric." in response.content
    assert not User.objects.filter(email="new.clinician@example.test").exists()
    assert mail.outbox == []


def test_it_logs_out_on_post(client, learner):
    client.force_login(learner)

    client.post("/accounts/logout/")

    assert "_auth_user_id" not in client.session


def test_it_resets_a_forgotten_password_through_an_emailed_link(client, learner):
    client.post("/accounts/password/reset/", {"email": learner.email})
    reset_path = _link_in_last_email("password/reset/key/")

    form = client.get(reset_path, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_it_changes_the_password_of_a_signed_in_user(client, learner):
    client.force_login(learner)

    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_it_rate_limits_repeated_failed_logins(client, learner):
    for _ in range(5):
        client.post("/accounts/login/", {"login": learner.email, "password": "wrong-password"})

    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert b"Too many failed login attempts. Try again later." in response.content
    assert "_auth_user_id" not in client.session


def test_a_created_superuser_is_also_a_learner(db):
    user = UserFactory(is_superuser=True)

    assert Group.objects.get(name="Learner") in user.groups.all()
