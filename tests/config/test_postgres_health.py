"""The PostgreSQL health check without a round trip (config/postgres/base.py): a kept
connection the server ended is found unusable before the next request's first query and
replaced, so the request is answered; a healthy one is kept, and checking it sends nothing."""

from __future__ import annotations

import select

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's health check"),
]


@pytest.fixture
def kept():
    """A second connection to the test database, as a worker keeps between requests."""
    other = connection.copy()
    other.ensure_connection()
    yield other
    other.close()


def _last_statement_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_healthy_connection_is_kept_and_checking_it_sends_no_query(kept):
    pid = kept.connection.info.backend_pid
    kept.health_check_done = False

    kept.close_if_health_check_failed()

    assert kept.connection is not None and kept.connection.info.backend_pid == pid
    assert _last_statement_of(pid) != "SELECT 1"  # Django's check would have sent it


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(kept):
    pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    poller = select.poll()
    poller.register(kept.connection.fileno(), select.POLLIN)
    assert poller.poll(5000)  # the server's goodbye has arrived
    kept.health_check_done = False

    kept.close_if_health_check_failed()
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        now = cursor.fetchone()[0]

    assert now != pid  # a new connection answered


def test_a_connection_left_in_a_failed_transaction_is_unusable(kept):
    kept.connection.autocommit = False
    with pytest.raises(Exception, match="division by zero"):
        kept.connection.execute("SELECT 1 / 0")

    assert not kept.is_usable()
    kept.connection.rollback()
    assert kept.is_usable()
