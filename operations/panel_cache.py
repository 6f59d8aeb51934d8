"""The registrar's panels on the admin home, rendered once per change (issue 17: the admin
home at 95-150 ms, half of it our panels' counts and tables). A panel's HTML is kept in the
shared cache under the registrar version, which any save or delete in an app the panels show
(licenses and outside training, seats and payments, certificates and rules, people's names and
roles) replaces at once and again on commit, under the public pages' version (the rules
loader's bulk writes tell only that one), and under today's date (the month, the 60-day and
90-day windows, rules due for review). The timeout bounds what time alone changes: a hold
that lapses is counted for a minute at most."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from config.dates import provider_today
from config.page_cache import bump, pages_version, version_now, versioned

VERSION_KEY = "registrar:version"
TIMEOUT = 60
SHOWN_APPS = frozenset({"accounts", "learners", "courses", "certification"})


def kept_panel(name: str, render: Callable[[], str]) -> str:
    """The panel's HTML as `render()` makes it, kept until the figures it shows may change."""
    key = f"registrar:panel:{name}:{provider_today().isoformat()}:{pages_version()}"
    return versioned(key, render, version_key=VERSION_KEY, timeout=TIMEOUT)


def registrar_version() -> str:
    """The version the panels are kept under now (the admin home is kept whole under it too)."""
    return version_now(VERSION_KEY)


def registrar_figures_changed() -> None:
    bump(VERSION_KEY)
    transaction.on_commit(partial(bump, VERSION_KEY))


def _on_save(sender: type, **kwargs: Any) -> None:
    if sender._meta.app_label in SHOWN_APPS:
        registrar_figures_changed()


def _on_membership(action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        registrar_figures_changed()


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="registrar_panels_save")
    post_delete.connect(_on_save, dispatch_uid="registrar_panels_delete")
    # A person joining or leaving a role changes the admin menu they are shown.
    m2m_changed.connect(_on_membership, sender=get_user_model().groups.through,
                        dispatch_uid="registrar_panels_roles")  # fmt: skip
