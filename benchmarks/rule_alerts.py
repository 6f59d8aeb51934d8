"""Rule-change alerts (issue 18): re-evaluating every learner licensed in one state after its
rule changes, on PostgreSQL; a benchmark, not a test. Target: 100,000 learners in under 60 s.

    scripts/with-postgres sh -c '.venv/bin/python manage.py migrate -v0 && \\
        .venv/bin/python benchmarks/rule_alerts.py --learners 100000'   # or: make perf-alerts

Builds N learners as `heavy.py` does (a verified PT license each in Virginia and Maryland,
DN-1 and DN-2 on the ledger with outside hours), loads the rules, raises Virginia's PT
minimum from 54 hours to the learners' median total through `rules_save` (about half of them
turn "not yet", each with a notice and an email), then times the alert tasks as one worker
runs them: the start task, which splits Virginia's PT learners into batches, and every batch
(both verdicts, the notices); then, apart, the email tasks the batches queued (to the locmem
outbox: building the messages, no network; `--no-emails` skips them). Everything is rolled
back, except with `--workers N`: then the data are committed (other processes see nothing
else; an empty, throwaway database only) and, after the one-process run, the same batches run
again shared by N processes taking the next batch as task workers do.

On a shared machine wall time stretches with the load, so the CPU time of this process and of
its PostgreSQL backend (the server runs here too) is reported beside it, with the load average.
Last measured (2026-12-01 21:47 UTC, 100,000 learners, idle 2-core machine, `--workers 2`):
one process 32.2 s wall, CPU 19.5 s + 12.6 s PostgreSQL (0.32 ms a learner); 2 worker
processes 14.8 s; 47,225 notices; their emails 2.4 ms each (locmem)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core import mail  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.tasks import task_backends  # noqa: E402
from django.test import override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from benchmarks.heavy import (  # noqa: E402
    Rollback,
    build,
    cpu_now,
    say,
    shared_by_workers,
    timed,
)
from certification.models import JurisdictionRule  # noqa: E402
from certification.reevaluation import BATCH_SIZE  # noqa: E402
from certification.rule_notices import (  # noqa: E402
    licensed_learners,
    rule_change_alerts_batch_task,
    rule_change_alerts_start,
    rule_change_emails_send_task,
)
from certification.rules import rules_load, rules_save  # noqa: E402
from config.dates import provider_today  # noqa: E402
from learners.models import HoursEntry, RuleChangeNotice  # noqa: E402


def run_queued(queued: object, kind: object) -> None:
    """Run the recorded tasks of one kind, in order, as a worker takes them."""
    for result in queued_calls(queued, kind):
        result.task.call(*result.args, **result.kwargs)


def queued_calls(queued: object, kind: object) -> list:
    return [r for r in queued.results if r.task.func is kind.func]


def run_batch(**kwargs: object) -> None:
    rule_change_alerts_batch_task.call(**kwargs)


def median_hours() -> Decimal:
    """The learners' median total, in whole hours: about half of them turn "not yet"."""
    totals = sorted(
        HoursEntry.objects.values("learner_id").annotate(total=Sum("hours"))
        .values_list("total", flat=True)
    )  # fmt: skip
    return totals[len(totals) // 2].to_integral_value()


def load() -> str:
    return "load average " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--workers", type=int, default=1, help=(
        "also run the batches in this many processes (commits the data: an empty, throwaway "
        "database only, as scripts/with-postgres makes)"))  # fmt: skip
    parser.add_argument("--no-emails", action="store_true", help="skip timing the emails")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark measures PostgreSQL: run it under scripts/with-postgres.")
    if options.workers > 1 and User.objects.exists():
        sys.exit("--workers commits its data: run it on an empty database (scripts/with-postgres).")
    say(f"PostgreSQL, {options.learners:,} learners; {os.cpu_count()} CPUs, {load()} "
        f"(the wall times stretch with it; CPU times less)")  # fmt: skip
    # Tasks are recorded, then run here one after another, as one worker would.
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    kept = options.workers > 1  # other processes see committed data only
    try:
        with (
            override_settings(DEBUG=True, TASKS=dummy),
            contextlib.nullcontext() if kept else transaction.atomic(),
        ):
            started = time.perf_counter()
            build(options.learners)
            rules_load()
            say(f"  built in {time.perf_counter() - started:.1f} s")
            minimum = median_hours()
            rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
            rule.requirements[0].value["min_total_hours"] = minimum
            [(before, after)] = rules_save(changed=[rule], reason=f"Benchmark: {minimum} hours")
            licensed = licensed_learners("VA", "PT", today=provider_today()).count()
            mail.outbox = []
            queued = task_backends["default"]
            queued.clear()
            reset_queries()
            started, cpu = time.perf_counter(), cpu_now()
            batches = rule_change_alerts_start.call(
                versions=[[before, after]], batch_size=options.batch_size
            )
            run_queued(queued, rule_change_alerts_batch_task)
            seconds = time.perf_counter() - started
            cpu, db_cpu = (now - then for now, then in zip(cpu_now(), cpu, strict=True))
            queries = len(connection.queries)
            notices = RuleChangeNotice.objects.count()
            say(
                f"  Virginia PT changed (54 -> {minimum} hours): {licensed:,} learners "
                f"re-evaluated in {batches} batches of {options.batch_size:,}, one process: "
                f"{seconds:.1f} s wall ({seconds / max(licensed, 1) * 1000:.3f} ms a learner, "
                f"{queries / max(batches, 1):.1f} queries a batch); CPU: this process "
                f"{cpu:.1f} s, its PostgreSQL backend {db_cpu:.1f} s "
                f"({(cpu + db_cpu) / max(licensed, 1) * 1000:.3f} ms a learner); "
                f"{notices:,} notices; {load()}"
            )
            at_100k = seconds * 100_000 / max(licensed, 1)
            how = "measured" if licensed >= 100_000 else "extrapolated linearly"
            say(f"  100,000 learners, one process: {at_100k:.1f} s ({how}); target: under 60 s")
            if kept:
                RuleChangeNotice.objects.all().delete()  # the same batches again, shared
                calls = [r.kwargs for r in queued_calls(queued, rule_change_alerts_batch_task)]
                seconds, cpu, db_cpu = shared_by_workers(run_batch, calls, options.workers)
                again = RuleChangeNotice.objects.count()
                say(
                    f"  the same {batches} batches in {options.workers} worker processes: "
                    f"{seconds:.1f} s wall ({seconds / max(licensed, 1) * 1000:.3f} ms a "
                    f"learner); CPU: workers {cpu:.1f} s, their backends {db_cpu:.1f} s; "
                    f"{again:,} notices; {load()}"
                )
                at_100k = seconds * 100_000 / max(licensed, 1)
                say(f"  100,000 learners, {options.workers} workers: {at_100k:.1f} s ({how})")
            if not options.no_emails:
                emailing, _ = timed(lambda: run_queued(queued, rule_change_emails_send_task))
                sent = len(mail.outbox)
                say(f"  then their emails, as queued: {sent:,} in {emailing:.1f} s "
                    f"({emailing / max(sent, 1) * 1000:.2f} ms each, locmem)")  # fmt: skip
            if kept:
                say("  (the data stay in this throwaway database)")
                return
            raise Rollback
    except Rollback:
        say("  (rolled back)")


if __name__ == "__main__":
    main()
