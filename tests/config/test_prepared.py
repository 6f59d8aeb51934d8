"""The statements asked on every signed-in request are prepared once per PostgreSQL
connection (config/prepared.py), and answer as a plain cursor would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.prepared import prepared_cursor
from learners.fingerprint import learner_fingerprint

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, %s"


def test_it_answers_as_a_plain_cursor_and_is_counted_like_one():
    with CaptureQueriesContext(connection) as queries, prepared_cursor(connection) as cursor:
        cursor.execute(SQL, [41, "text"])
        answer = cursor.fetchone()

    assert tuple(answer) == (42, "text")
    assert len(queries) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares")
def test_on_postgresql_the_statement_is_prepared_once_for_the_connection(learner):
    learner_fingerprint(learner.pk)
    learner_fingerprint(learner.pk)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%learners_hoursentry%"],
        )
        assert cursor.fetchone()[0] == 1
