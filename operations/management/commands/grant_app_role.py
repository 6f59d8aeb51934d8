"""`manage.py grant_app_role ROLE`: give the application's PostgreSQL role what the site needs
and nothing more: SELECT, INSERT, UPDATE and DELETE on every table and USAGE on every
sequence, now and on the tables later migrations create. Run it as the role that owns the
tables (the one that migrates). The application role then cannot TRUNCATE, disable or drop a
trigger, or alter or drop a table, so the append-only guards (config/append_only.py) hold
against it (README, production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

NEEDS_POSTGRES = "Database roles exist on PostgreSQL only: set DATABASE_URL to the owner role's."
NO_SUCH_ROLE = "There is no role {role!r}: create it first (CREATE ROLE {role} LOGIN PASSWORD ...)."
IS_OWNER = "{role!r} is the role running this command: the app role must be another one."
TOO_STRONG = "{role!r} {what}: the app role must be an ordinary role that owns no table."
NOT_OURS = "{user!r} does not own these tables, so it cannot grant on them: {tables}."

GRANTS = [
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    # Tables and sequences the owner creates later (each migration) are covered too.
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public"
    " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
]
OWNED_BY = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner {op} %s"


def _tables(cursor: Any, op: str, role: str) -> str:
    cursor.execute(OWNED_BY.format(op=op) + " ORDER BY tablename", [role])
    return ", ".join(name for (name,) in cursor.fetchall())


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the site connects as (DATABASE_URL's user)")

    @transaction.atomic
    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(NEEDS_POSTGRES)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(NO_SUCH_ROLE.format(role=role))
            user, superuser = found
            if role == user:
                raise CommandError(IS_OWNER.format(role=role))
            owned = _tables(cursor, "=", role)
            if superuser or owned:
                what = "is a superuser" if superuser else f"owns tables ({owned})"
                raise CommandError(TOO_STRONG.format(role=role, what=what))
            if foreign := _tables(cursor, "<>", user):
                raise CommandError(NOT_OURS.format(user=user, tables=foreign))
            quoted = '"' + role.replace('"', '""') + '"'
            for sql in GRANTS:
                cursor.execute(sql.format(role=quoted))
        if options["verbosity"]:
            self.stdout.write(
                f"{role} may now read and write every table, and those later migrations create; "
                "it cannot TRUNCATE, alter or drop them, or their triggers."
            )
