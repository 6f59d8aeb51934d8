"""Shared fixtures: personas for every role (healthchecks' alice/bob/charlie idea)."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis.connection
import time_machine
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from accounts.roles import INSTRUCTOR, REGISTRAR
from tests import database
from tests.factories import UserFactory

TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth's rate limits live in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


class SignedInClient(Client):
    """The test client whose `force_login` leaves the session allauth's login would: the
    password step recorded and, for an account with an authenticator, the two-factor step
    too. The login pages themselves are tested in tests/accounts/. Django's plain `Client`
    keeps a bare session (no steps recorded), as a login outside allauth would."""

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        request = RequestFactory().get("/")
        request.session = self.session
        record_authentication(request, user, "password", email=user.email)
        if authenticator := Authenticator.objects.filter(user=user).first():
            record_authentication(request, user, "mfa", id=authenticator.pk,
                                  type=authenticator.type)  # fmt: skip
        request.session.save()


@pytest.fixture
def client() -> SignedInClient:
    return SignedInClient()


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


STUDY_NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York


@pytest.fixture
def frozen_today() -> Iterator[dt.date]:
    """Monday 23 November 2026, 10:00 in New York, for tests that date hours and days."""
    with time_machine.travel(STUDY_NOW, tick=False):
        yield STUDY_NOW.date()


@pytest.fixture
def rules(db):
    """The researched state rules, loaded from the file as `load_rules` does."""
    from certification.rules import rules_load

    return rules_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database, created and migrated as DATABASE_URL's role (the
    tables' owner); the suite then runs as DATABASE_APP_URL's role when set, and flushes
    lift the append-only guards as the owner (tests/database.py)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        with django_db_blocker.unblock():
            database.start(monkeypatch)
        yield
        with django_db_blocker.unblock():
            database.stop()


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
    # Rows came back with their ids: move PostgreSQL's sequences past them (setval is the
    # owner's right, not the app role's).
    database.as_owner(connection.ops.sequence_reset_sql(no_style(), apps.get_models()))


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    """localstripe (an offline Stripe emulator) on a free loopback port for the session;
    the site's Stripe client points at it."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from django.test import override_settings

    from courses import stripe_api

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    script = Path(__file__).resolve().parent.parent / "scripts" / "localstripe-server"
    server = subprocess.Popen([sys.executable, str(script), str(port)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                pytest.fail(f"localstripe exited with {server.returncode}: is it installed?")
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail(f"localstripe did not answer on {url} within 10 s.")
    overrides = override_settings(STRIPE_API_BASE=url, STRIPE_SECRET_KEY="sk_test_localstripe",
                                  STRIPE_JS_URL=f"{url}/js.stripe.com/v3/")  # fmt: skip
    overrides.enable()
    stripe_api._client.cache_clear()
    yield url
    overrides.disable()
    stripe_api._client.cache_clear()
    server.terminate()
    server.wait(timeout=10)


def card_token(number: str) -> str:
    """A `card_...` id for a test card, as Stripe.js's createToken gives the browser."""
    from courses import stripe_api

    token = stripe_api._client().v1.tokens.create(
        params={"card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    return token.card.id


@pytest.fixture
def program(db):
    """The Certification in Dry Needling (from its migration) with DN-1 and DN-2 attached."""
    from certification.programs import certification_program
    from tests.factories import catalog_course

    program = certification_program()
    program.required_courses.add(catalog_course("DN-1"), catalog_course("DN-2"))
    return program


def redis_cache_settings(url: str) -> dict:
    """CACHES for the production cache backend on the Redis at `url`."""
    return {"default": {"BACKEND": "config.redis_cache.PooledClientRedisCache", "LOCATION": url}}


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """Debian's redis-server on a free loopback port, nothing saved, for the session."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/ensure-redis)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"redis-server exited with {server.returncode}")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def round_trips(monkeypatch) -> list[int]:
    """Each command (or pipeline) sent to Redis from now on, awaiting its answer."""
    sent: list[int] = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counted(self, *args, **kwargs):
        sent.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    return sent


@pytest.fixture(params=["local memory", "redis"])
def shared_cache(request) -> Iterator[str]:
    """Each test using it runs on both caches: the per-process one and Redis."""
    if request.param == "local memory":
        yield request.param
        return
    with override_settings(CACHES=redis_cache_settings(request.getfixturevalue("redis_url"))):
        cache.clear()
        yield request.param
        cache.clear()
