"""`manage.py reevaluate_all [--program CODE] [--batch-size N] [--enqueue]`: re-evaluate every
learner for certification and issue the certificates now due, in batches of learners
(certification/reevaluation.py). By default the batches run here, one after another, and the
certificates issued are printed; with `--enqueue` each batch becomes a task for the workers
(run several `db_worker`s to share them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.models import Program
from certification.reevaluation import (
    BATCH_SIZE,
    MAX_BATCH_SIZE,
    certificates_reevaluate_all,
    certificates_reevaluate_batch,
    learner_batches,
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", help="A program's code (default: every program).")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                            help=f"Learners per batch, 1 to {MAX_BATCH_SIZE}.")  # fmt: skip
        parser.add_argument("--enqueue", action="store_true",
                            help="Hand the batches to the task workers instead.")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["batch_size"]
        if not 1 <= size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}, not {size}.")
        programs = Program.objects.order_by("code")
        if options["program"]:
            programs = programs.filter(code=options["program"])
            if not programs:
                known = ", ".join(Program.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(
                    f"No program has the code {options['program']!r}; there are: {known or 'none'}."
                )
        program_ids = list(programs.values_list("pk", flat=True))
        if options["enqueue"]:
            result = certificates_reevaluate_all.enqueue(program_ids=program_ids, batch_size=size)
            self.stdout.write(f"Enqueued: task {result.id} splits the learners into batches.")
            return
        learners = issued = 0
        for batch in learner_batches(size=size):
            numbers = certificates_reevaluate_batch(learner_ids=batch, program_ids=program_ids)
            learners, issued = learners + len(batch), issued + len(numbers)
            for number in numbers:
                self.stdout.write(f"Issued {number}")
        self.stdout.write(self.style.SUCCESS(
            f"{learners} learners re-evaluated, {issued} certificates issued."
        ))  # fmt: skip
