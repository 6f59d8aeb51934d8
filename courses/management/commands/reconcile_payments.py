"""`manage.py reconcile_payments`: apply Stripe's word to payments whose answer we never
heard (a lost reply, a process that died), and flag charges we have no attempt for. Run it
every minute beside expire_holds (cron; `make run` loops it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import stripe
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from courses.services.payments import payments_reconcile


class Command(BaseCommand):
    help = "Apply recent PaymentIntents from Stripe to our payments; flag unknown charges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=int, default=72,
            help="How far back to look at succeeded PaymentIntents (default 72, at most 720).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if not 1 <= hours <= 720:
            raise CommandError("--hours must be between 1 and 720 (Stripe keeps 30 days).")
        now = timezone.now()
        try:
            result = payments_reconcile(now=now, since=now - dt.timedelta(hours=hours))
        except stripe.StripeError as error:
            raise CommandError(f"Stripe could not be asked: {error}") from error
        if result.applied or result.unreachable or options["verbosity"] > 1:
            self.stdout.write(
                f"{result.applied} payment(s) brought in line with Stripe; "
                f"{result.unreachable} left for the next run."
            )
