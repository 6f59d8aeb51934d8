"""Every new account starts as a learner, however it was created (sign-up, admin, shell)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from .roles import LEARNER


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_new_user_learner")
def add_new_account_to_learners(
    sender: Any, instance: Any, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        instance.groups.add(Group.objects.get(name=LEARNER))
