"""Shared fixtures: personas for every role (healthchecks' alice/bob/charlie idea)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from accounts.roles import INSTRUCTOR, REGISTRAR
from tests.factories import UserFactory

TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth's rate limits live in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


def _with_totp(user):
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@example.test")


@pytest.fixture
def other_learner(db):
    return UserFactory(email="other.learner@example.test")


@pytest.fixture
def instructor(db):
    return UserFactory(email="instructor@example.test", roles=[INSTRUCTOR])


@pytest.fixture
def registrar(db):
    """A registrar who has turned on two-factor, as staff must."""
    return _with_totp(UserFactory(email="registrar@example.test", roles=[REGISTRAR]))


@pytest.fixture
def registrar_without_mfa(db):
    return UserFactory(email="new.registrar@example.test", roles=[REGISTRAR])


@pytest.fixture
def superuser(db):
    user = UserFactory(email="root@example.test", is_superuser=True, is_staff=True)
    return _with_totp(user)
