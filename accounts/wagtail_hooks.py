"""Wagtail's user bulk actions, replaced by ones that leave staff to superusers."""

from __future__ import annotations

from wagtail import hooks

from .admin_users import BULK_ACTIONS

# Registered after Wagtail's own (order 1 > 0): same action types, so these replace them.
for action_class in BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class, order=1)
