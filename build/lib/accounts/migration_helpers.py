"""Helpers for data migrations that give roles their permissions.

Django creates permissions after all migrations have run; these create them first, so a
fresh database gets complete roles from a single `migrate`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps: Any) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_model_permissions(
    apps: Any, role: str, app_label: str, model: str, actions: list[str]
) -> None:
    """Give the role's group `<action>_<model>` permissions, e.g. add/change/view."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for action in actions]
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    if len(found) != len(codenames):
        raise RuntimeError(f"Missing permissions {codenames} for {app_label}")
    Group.objects.get(name=role).permissions.add(*found)
