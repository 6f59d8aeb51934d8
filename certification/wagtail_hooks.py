"""State rules in the Wagtail admin: registrars list, filter and edit them (Rules menu); every
save keeps the previous version (django-simple-history), browsable on each rule's history."""

from __future__ import annotations

from typing import ClassVar

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import rule_history_view
from .models import JurisdictionRule


class JurisdictionRuleViewSet(SnippetViewSet):
    model = JurisdictionRule
    icon = "doc-full-inverse"
    menu_label = "State rules"
    menu_order = 170
    add_to_admin_menu = True
    list_display: ClassVar[list] = ["name", "jurisdiction", "profession", "status", "last_reviewed"]
    list_filter: ClassVar[list] = ["status", "profession"]
    ordering = ["name"]


register_snippet(JurisdictionRuleViewSet)


@hooks.register("register_admin_urls")
def rule_history_urls() -> list:
    return [path("rules/<int:pk>/changes/", rule_history_view, name="certification_rule_history")]


@hooks.register("register_snippet_listing_buttons")
def rule_history_button(snippet: object, user: object, next_url: str | None = None):
    if isinstance(snippet, JurisdictionRule):
        yield ListingButton(
            "Changes", reverse("certification_rule_history", args=[snippet.pk]), priority=50
        )
