"""Demo accounts for `seed_demo`: one per role, email verified, ready to log in.

The registrar is staff and so must use two-factor: the demo gives it a fixed TOTP secret
(add it to an authenticator app, or run `make totp` for the current code).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from .models import User
from .roles import INSTRUCTOR, LEARNER, REGISTRAR

DEMO_PASSWORD = "dn-demo-2026"  # printed by `make run`: demo accounts only
DEMO_REGISTRAR_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("learner@example.com", "Lena", "Ortiz", LEARNER),
    DemoAccount("instructor@example.com", "Ian", "Mercer", INSTRUCTOR),
    DemoAccount("registrar@example.com", "Rita", "Okafor", REGISTRAR),
    DemoAccount("instructor2@example.com", "Ines", "Park", INSTRUCTOR),
    DemoAccount("sam.lee@example.com", "Sam", "Lee", LEARNER),
    DemoAccount("priya.nair@example.com", "Priya", "Nair", LEARNER),
    DemoAccount("tom.berg@example.com", "Tom", "Berg", LEARNER),
    DemoAccount("maya.cruz@example.com", "Maya", "Cruz", LEARNER),
    DemoAccount("noah.kim@example.com", "Noah", "Kim", LEARNER),
    DemoAccount("ana.reyes@example.com", "Ana", "Reyes", LEARNER),
)
DEMO_REGISTRAR_EMAIL = "registrar@example.com"


def demo_accounts_seed() -> list[User]:
    """Create the demo accounts once; a second run leaves them as they are."""
    return [_demo_account_ensure(account) for account in DEMO_ACCOUNTS]


def _demo_account_ensure(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email,
            password=DEMO_PASSWORD,
            first_name=account.first_name,
            last_name=account.last_name,
        )
        user.groups.add(Group.objects.get(name=account.role))
    EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    if (
        account.role == REGISTRAR
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, DEMO_REGISTRAR_TOTP_SECRET)
    return user
