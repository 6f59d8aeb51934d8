"""`manage.py credential_key`: print a new Ed25519 private key for CREDENTIAL_SIGNING_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from certification.credentials import new_signing_key


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_signing_key())
