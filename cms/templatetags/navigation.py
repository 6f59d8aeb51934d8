"""The site's main navigation: the home page and its live children marked "show in menus"."""

from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Page, Site

from accounts.roles import INSTRUCTOR, user_has_role, user_is_staff_member

register = template.Library()


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    site = Site.find_for_request(request)
    root: Page | None = site.root_page if site else None
    items = list(root.get_children().live().in_menu().specific()) if root else []
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
