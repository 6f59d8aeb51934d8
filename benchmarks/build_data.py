"""Build the benchmark's dataset once into the kept cluster (`benchmarks/services`): the demo
site (seed_demo: catalog, pages, rules, guides, personas, a certificate), then 100,000
learners with 2 million ledger entries and a license each, loaded by PostgreSQL itself.
Re-running finds the data there and only migrates and grants."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from accounts.models import User  # noqa: E402
from learners.management.commands.benchmark_dashboard import (  # noqa: E402
    load_learners_and_entries,
)
from learners.models import License, Profession  # noqa: E402

LEARNERS = 100_000
ENTRIES = 2_000_000


def load_licenses(first_id: int, learners: int) -> None:
    """One PT license per bench learner: most verified, some awaiting review or rejected,
    expiry dates spread over five years around today (what the admin home filters on)."""
    pt = Profession.objects.get(code="PT").pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {License._meta.db_table} (learner_id, profession_id, jurisdiction,
                    number, issued_on, expires_on, status, status_reason, created_at)
                SELECT %(first)s + n, %(pt)s, (ARRAY['VA','TX','CA','NY','FL','CO'])[1 + n %% 6],
                    'B' || n, current_date - 2000, current_date - 900 + (n %% 1800),
                    CASE WHEN n %% 100 = 0 THEN 'unverified' WHEN n %% 97 = 0 THEN 'rejected'
                         ELSE 'verified' END, '', now()
                FROM generate_series(0, %(n)s - 1) AS n""",
            {"first": first_id, "pt": pt, "n": learners},
        )
        cursor.execute(f"ANALYZE {License._meta.db_table}")


def migrations_pending() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def static_stale() -> bool:
    """collectstatic post-processes every file (minutes on a busy machine): only when ours
    changed since the last collection."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    ours = Path(settings.BASE_DIR) / "static"
    return any(f.stat().st_mtime > manifest.stat().st_mtime for f in ours.rglob("*"))


def main() -> None:
    migrated = migrations_pending()
    if migrated:
        call_command("migrate", "--noinput", verbosity=0)
    if not User.objects.filter(email="learner@example.com").exists():
        call_command("seed_demo")
    if not User.objects.filter(email__startswith="bench-").exists():
        started = time.perf_counter()
        first_id = load_learners_and_entries(learners=LEARNERS, entries=ENTRIES)
        load_licenses(first_id, LEARNERS)
        sys.stdout.write(f"Loaded {LEARNERS:,} learners, {ENTRIES:,} entries and their "
                         f"licenses in {time.perf_counter() - started:.0f} s.\n")  # fmt: skip
        migrated = True
    if migrated:
        call_command("grant_app_role", "dn_app")
    if static_stale():
        call_command("collectstatic", "--noinput", verbosity=0)


if __name__ == "__main__":
    main()
