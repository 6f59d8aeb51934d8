"""The site's main navigation: the home page and its live children marked "show in menus"."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import template
from django.http import HttpRequest
from wagtail.models import Page, Site

from accounts.roles import INSTRUCTOR, user_has_role, user_is_staff_member
from config.page_cache import versioned

register = template.Library()


class MenuLink(NamedTuple):
    url: str
    url_path: str
    title: str


def _menu(request: HttpRequest) -> tuple[MenuLink | None, list[MenuLink]]:
    site = Site.find_for_request(request)
    root: Page | None = site.root_page if site else None
    if root is None:
        return None, []
    children = root.get_children().live().in_menu().specific()
    return _link(root, request), [_link(page, request) for page in children]


def _link(page: Page, request: HttpRequest) -> MenuLink:
    return MenuLink(page.get_url(request), page.url_path, page.title)


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The menu's pages are read once per change to the pages (config/page_cache.py), not
    on every page."""
    request = context["request"]
    root, items = versioned(f"nav:{request.get_host()}", lambda: _menu(request))
    current = context.get("page")
    return {
        "request": request,
        "root": root,
        "items": items,
        "current_path": current.url_path if current else None,
        "user": request.user,
        "show_admin": user_is_staff_member(request.user),
        "show_teaching": user_has_role(request.user, INSTRUCTOR),
    }
