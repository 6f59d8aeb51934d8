"""`manage.py seed_demo`: idempotent demo data (DESIGN.md 4). Running it twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEMO_REGISTRAR_TOTP_SECRET, demo_accounts_seed
from certification.demo import demo_certificates_seed
from certification.rules import rules_load
from cms.demo import demo_pages_seed
from config.dates import provider_today
from courses.demo import demo_catalog_seed
from learners.demo import demo_learners_seed


class Command(BaseCommand):
    help = (
        "Create the demo site: accounts for every role, DN-1 and DN-2 with their pages, "
        "venues and offerings, the state rules (safe to run again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rules first, committed on their own: loaded with the learners there, each new
        # rule would move their verdicts ("unknown" to an answer) and bring them a notice.
        rules = rules_load()
        with transaction.atomic():
            users = demo_accounts_seed()
            today = provider_today()
            demo_learners_seed(today=today)
            offerings = demo_catalog_seed(today=today)
            certified = demo_certificates_seed()
            demo_pages_seed()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data is ready: {len(offerings)} offerings, state rules "
            f"({rules.created} new, {rules.changed} changed), {certified} certificate(s) "
            "issued. Demo logins:"
        ))  # fmt: skip
        for user in users:
            role = user.groups.exclude(name="Learner").first() or user.groups.first()
            self.stdout.write(f"  {role.name:<11} {user.email:<26} password: {DEMO_PASSWORD}")
        self.stdout.write(
            "  The registrar uses two-factor: add the secret "
            f"{DEMO_REGISTRAR_TOTP_SECRET} to an authenticator app, "
            "or run `make totp` for the current code."
        )
