"""`manage.py demo_totp`: the demo registrar's current two-factor code (DEBUG only)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_REGISTRAR_EMAIL


class Command(BaseCommand):
    help = "Print the demo registrar's current TOTP code. Refuses unless DEBUG is on."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp is for the demo site only: DEBUG is off.")
        authenticator = Authenticator.objects.filter(
            user__email=DEMO_REGISTRAR_EMAIL, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{DEMO_REGISTRAR_EMAIL} has no authenticator: run seed_demo.")
        secret = decrypt(authenticator.data["secret"])
        counter = next(iter(yield_hotp_counters_from_time()))
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
