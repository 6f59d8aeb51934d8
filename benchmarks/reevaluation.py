"""Re-evaluating every learner for certification shared by task workers (issue 17: 100,000
learners in under 60 s, several workers allowed), on PostgreSQL; a benchmark, not a test.

    scripts/with-postgres sh -c '.venv/bin/python manage.py migrate -v0 && \\
        .venv/bin/python benchmarks/reevaluation.py --learners 100000 --workers 2'
    # or: make perf-reevaluate

Builds N learners as `heavy.py` does and commits them (an empty, throwaway database only, as
scripts/with-postgres makes: other processes see committed data only), then runs the batches
of `reevaluate_all --enqueue` (certification/reevaluation.py), each taken by the next free of
`--workers` processes as `db_worker`s do. `heavy.py` measures the same batches in one
process, against evaluating learners one by one."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from benchmarks.heavy import build, say, shared_by_workers, timed  # noqa: E402
from certification.models import Certificate, Program  # noqa: E402
from certification.reevaluation import (  # noqa: E402
    BATCH_SIZE,
    certificates_reevaluate_batch,
    learner_batches,
)


def profile_batch(batch: dict) -> None:
    profiler = cProfile.Profile()
    with transaction.atomic():
        profiler.runcall(certificates_reevaluate_batch, **batch)
        transaction.set_rollback(True)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--profile", action="store_true", help=(
        "first print cProfile's top functions for one batch, run in this process and rolled "
        "back (PROFILE_SORT, default cumulative)"))  # fmt: skip
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark measures PostgreSQL: run it under scripts/with-postgres.")
    if User.objects.exists():
        sys.exit("It commits its data: run it on an empty database (scripts/with-postgres).")
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    say(f"PostgreSQL, {options.learners:,} learners; {os.cpu_count()} CPUs, load average {load}")
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):  # no email, no PDF: recorded, not run
        seconds, _ = timed(lambda: build(options.learners))
        say(f"  built in {seconds:.1f} s")
        program_ids = list(Program.objects.values_list("pk", flat=True))
        batches = [
            {"learner_ids": batch, "program_ids": program_ids}
            for batch in learner_batches(size=options.batch_size)
        ]
        everyone = User.objects.count()
        if options.profile:
            profile_batch(batches[len(batches) // 2])
        seconds, cpu, db_cpu = shared_by_workers(
            certificates_reevaluate_batch, batches, options.workers
        )
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    say(
        f"  reevaluate_all, {everyone:,} accounts in {len(batches)} batches of "
        f"{options.batch_size:,}, {options.workers} workers: {seconds:.1f} s wall "
        f"({seconds / everyone * 1000:.3f} ms a learner); CPU: workers {cpu:.1f} s, their "
        f"PostgreSQL backends {db_cpu:.1f} s; {Certificate.objects.count():,} certificates "
        f"issued; load average {load}"
    )
    at_100k = seconds * 100_000 / everyone
    how = "measured" if everyone >= 100_000 else "extrapolated linearly"
    say(f"  100,000 learners, {options.workers} workers: {at_100k:.1f} s ({how}); "
        f"target: under 60 s")  # fmt: skip


if __name__ == "__main__":
    main()
