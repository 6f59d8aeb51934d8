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


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup: None, django_db_blocker) -> str:
    """The database as the migrations left it (roles, professions, Wagtail's page tree),
    captured before any transactional test flushes it."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_db(_migrated_data: str, transactional_db: None) -> None:
    """A transactional test's database as the migrations left it. Transactional tests
    (live server, threads) flush the database after each test; this puts the data back.
    Django's serialized_rollback cannot be relied on: under Playwright's running event
    loop the test gets a different connection object than the one the test database was
    serialized on, and the restore is silently skipped."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    # Empty first: the previous test's teardown flush re-created content types and
    # permissions under new ids.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_migrated_data)
    # Rows came back with their ids: move PostgreSQL's sequences past them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
