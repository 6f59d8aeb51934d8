"""`manage.py benchmark_engine`: the median time to evaluate every jurisdiction's rule for one
learner with 200 ledger entries (target: under 2 ms). A benchmark, not a test: `make bench`
runs it after loading the rules."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.engine import evaluate_all
from certification.rules import rules_for_profession
from certification.windows import Hours

AS_OF = dt.date(2026, 11, 1)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entries", type=int, default=200)
        parser.add_argument("--runs", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        rules = rules_for_profession("PT")
        with_requirements = sum(1 for rule in rules if rule.requirements)
        if not with_requirements:
            raise CommandError("No rules with requirements on file: run `manage.py load_rules`.")
        randomness = random.Random(2026)  # the same learner every run
        hours = [
            Hours(AS_OF - dt.timedelta(days=randomness.randrange(2000)),
                  Decimal(randomness.randrange(1, 37)) / 4, Decimal(0))
            for _ in range(options["entries"])
        ]  # fmt: skip
        licenses = {rule.jurisdiction: dt.date(2020, 6, 1) for rule in rules}
        times = []
        for _ in range(options["runs"]):
            started = time.perf_counter()
            evaluate_all(rules, hours=hours, license_issued=licenses, as_of=AS_OF)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        self.stdout.write(
            f"{len(rules)} jurisdictions ({with_requirements} with requirements), "
            f"{options['entries']} entries, {options['runs']} runs: "
            f"median {statistics.median(times):.3f} ms, 95th percentile "
            f"{times[int(len(times) * 0.95)]:.3f} ms"
        )
