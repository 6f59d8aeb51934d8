"""`manage.py create_state_guides`: a guide page per state and DC under /states/ (existing
pages are left as editors made them). Run after `load_rules` on a new site."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cms.state_guides import state_guides_ensure


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS(f"State guides created: {state_guides_ensure()}."))
