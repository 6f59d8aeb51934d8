"""`manage.py benchmark_dashboard`: load 100k learners and 2M ledger entries into PostgreSQL
(inside a transaction that is rolled back, so nothing stays), then report the median time of
the dashboard's aggregate query and of the whole dashboard page. A benchmark, not a test:
`make bench` runs it on a private cluster."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from accounts.models import User
from config.dates import provider_today
from learners.ledger import hours_totals
from learners.models import HoursEntry

NEEDS_POSTGRES = "The benchmark measures PostgreSQL, the production database: set DATABASE_URL."


class Rollback(Exception):
    pass


def _median_ms(runs: int, call: Callable[[], object]) -> float:
    call()  # warm the caches once, as a live site would be
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def load_learners_and_entries(*, learners: int, entries: int) -> int:
    """Bulk-load learners and ledger entries; return the first new user id (`make perf` reuses
    this to build its dataset)."""
    user_table, entry_table = User._meta.db_table, HoursEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {user_table} (password, is_superuser, email, first_name,
                    last_name, is_staff, is_active, date_joined)
                SELECT '!', false, 'bench-' || n || '@example.invalid', 'Bench', 'L' || n,
                    false, true, now()
                FROM generate_series(1, %s) AS n RETURNING id""",
            [learners],
        )
        ids = [row[0] for row in cursor.fetchall()]
        first_id = min(ids)
        if max(ids) - first_id + 1 != learners:  # one INSERT takes one run of the sequence
            raise CommandError("The new users' ids are not contiguous; run on an idle DB.")
        cursor.execute(
            f"""INSERT INTO {entry_table} (learner_id, date, hours, mode, source, note,
                    recorded_by_id, recorded_at)
                SELECT %(first)s + (n %% %(learners)s), current_date - ((n * 7) %% 1500),
                    0.25 * (1 + n %% 36),
                    CASE WHEN n %% 3 = 0 THEN 'online' ELSE 'in_person' END,
                    'outside', '', %(first)s, now()
                FROM generate_series(1, %(entries)s) AS n""",
            {"first": first_id, "learners": learners, "entries": entries},
        )
        cursor.execute(f"ANALYZE {user_table}, {entry_table}")
    return first_id


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--entries", type=int, default=2_000_000)
        parser.add_argument("--runs", type=int, default=25)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(NEEDS_POSTGRES)
        learners, entries, runs = options["learners"], options["entries"], options["runs"]
        if learners < 1 or entries < learners:
            raise CommandError("Give at least one learner and at least one entry per learner.")
        try:
            with transaction.atomic():
                self._run(learners, entries, runs)
                raise Rollback
        except Rollback:
            self.stdout.write("Benchmark data rolled back.")

    def _run(self, learners: int, entries: int, runs: int) -> None:
        started = time.perf_counter()
        first_id = load_learners_and_entries(learners=learners, entries=entries)
        self.stdout.write(
            f"Loaded {learners:,} learners and {entries:,} entries "
            f"in {time.perf_counter() - started:.1f} s."
        )
        learner = User.objects.get(pk=first_id + learners // 2)
        today = provider_today()
        own = HoursEntry.objects.filter(learner=learner).count()
        query_ms = _median_ms(runs, lambda: hours_totals(learner=learner, as_of=today))
        client = Client()
        client.force_login(learner)

        def page() -> None:
            response = client.get("/me/", HTTP_HOST="127.0.0.1", secure=True)
            assert response.status_code == 200, response.status_code

        page_ms = _median_ms(runs, page)
        self.stdout.write(f"A learner with {own} entries, median of {runs} runs:")
        self.stdout.write(f"  aggregate query (hours_totals): {query_ms:8.2f} ms")
        self.stdout.write(f"  whole dashboard page (/me/):    {page_ms:8.2f} ms")
