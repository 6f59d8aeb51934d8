"""Wagtail's users app, with our user viewset (accounts.admin_users): listed in
INSTALLED_APPS in place of `wagtail.users`, as Wagtail documents for custom user forms."""

from __future__ import annotations

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin_users.AccountViewSet"
