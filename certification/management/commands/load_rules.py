"""`manage.py load_rules [--file PATH]`: load the researched state rules (by default the copy
of shared/data/jurisdiction_rules.json in certification/data/). Every rule is checked before
anything is written; changed rules keep their previous versions in the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.rules import RULES_FILE, RulesFileError, rules_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=RULES_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = rules_load(options["file"])
        except RulesFileError as error:
            raise CommandError(
                "Nothing was loaded:\n" + "\n".join(f"  {p}" for p in error.reasons)
            ) from error
        self.stdout.write(self.style.SUCCESS(
            f"Rules loaded: {report.created} new, {report.changed} changed, "
            f"{report.unchanged} unchanged."
        ))  # fmt: skip
