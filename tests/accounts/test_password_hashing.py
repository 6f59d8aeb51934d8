"""Signing in costs one password hash, and a memory-hard one (issue 16, "Speed a person
feels"): Argon2id in production instead of PBKDF2's 1.5M rounds, never a weaker hasher."""

from __future__ import annotations

from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, make_password
from django.test import override_settings

from config.settings import base
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting every hash it computes."""

    algorithm = "counting_md5"
    computed: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        self.computed.append(salt)
        return super().encode(password, salt)


@pytest.fixture
def counted() -> list[str]:
    CountingHasher.computed = []
    hashers = ["tests.accounts.test_password_hashing.CountingHasher"]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield CountingHasher.computed


def _login(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.parametrize(
    ("email", "password", "signed_in"),
    [
        ("learner@example.test", PASSWORD, True),
        ("learner@example.test", "not-the-password", False),
        ("nobody@example.test", PASSWORD, False),  # still hashed once: no timing tell
    ],
)
def test_it_hashes_the_password_once_per_login_attempt(client, counted, email, password, signed_in):
    UserFactory(email="learner@example.test")
    counted.clear()  # creating the account hashed its password

    _login(client, email, password)

    assert ("_auth_user_id" in client.session) is signed_in
    assert len(counted) == 1


def test_production_hashes_with_argon2id_and_upgrades_an_old_pbkdf2_hash(client):
    user = UserFactory(email="learner@example.test")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])

        response = _login(client, user.email, PASSWORD)

    assert response.status_code == 302 and "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
