"""Django's PostgreSQL backend, whose health check asks the socket instead of the server
(issue 17). With CONN_HEALTH_CHECKS, Django checks a kept connection before the first query of
every request by sending `SELECT 1`: a round trip on every page that reads the database, the
roster and the self-check among them.

A server that ends a connection says so first (a restart, `pg_terminate_backend`, an idle
timeout: PostgreSQL sends its fatal error, then closes), and with no query in flight nothing
else arrives unasked (we never LISTEN): so an idle connection whose socket has something to
read, or has closed, is unusable, as is one psycopg knows to be broken or one left inside a
failed transaction. A silent network drop fools both checks alike: the first query waits
for the connection timeout either way."""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper
from psycopg.pq import TransactionStatus

USABLE_STATES = (TransactionStatus.IDLE, TransactionStatus.INTRANS)


class DatabaseWrapper(PostgresDatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status not in USABLE_STATES:
            return False
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return not poller.poll(0)
