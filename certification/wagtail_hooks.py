"""State rules in the Wagtail admin: registrars list, filter and edit them (Rules menu); every
save keeps the previous version (django-simple-history), shown on each rule's Changes page
(operations/history.py)."""

from __future__ import annotations

from typing import ClassVar

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_certificates import certificate_admin_pdf, certificate_manage_view
from .admin_rules import RuleCreateAction, RuleEditAction, rules_due_view
from .certificates import REINSTATE_LOG_ACTION, RENAME_LOG_ACTION, REVOKE_LOG_ACTION
from .models import Certificate, JurisdictionRule, Program


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


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "tick-inverse"
    menu_label = "Programs"
    menu_order = 171
    add_to_admin_menu = True
    list_display: ClassVar[list] = ["name", "code", "min_hours", "window_months"]


register_snippet(ProgramViewSet)


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = "Certificates"
    menu_order = 172
    add_to_admin_menu = True
    list_display: ClassVar[list] = [
        TitleColumn("number", url_name="certification_certificate_manage"),
        "holder_name", "program", "status", "issued_at",
    ]  # fmt: skip
    list_filter: ClassVar[list] = ["status", "program"]
    search_fields: ClassVar[list] = ["number", "holder_name"]
    search_backend_name = None  # a plain database search: certificates are not indexed


register_snippet(CertificateViewSet)


@hooks.register("register_admin_urls")
def rule_history_urls() -> list:
    return [
        path("rules/due/", rules_due_view, name="certification_rules_due"),
        path("certificates/<int:pk>/manage/", certificate_manage_view,
             name="certification_certificate_manage"),
        path("certificates/<int:pk>/certificate.pdf", certificate_admin_pdf,
             name="certification_certificate_pdf"),
    ]  # fmt: skip


@hooks.register("register_log_actions")
def certificate_log_actions(actions: object) -> None:
    actions.register_action(REVOKE_LOG_ACTION, "Certificate revoked", "Certificate revoked")
    actions.register_action(
        REINSTATE_LOG_ACTION, "Certificate reinstated", "Certificate reinstated"
    )
    actions.register_action(RENAME_LOG_ACTION, "Certificate name corrected", "Name corrected")


@hooks.register("register_actions")
def rule_actions(registry: object) -> None:
    # The admin's create and edit write through rules_save, like the loader.
    registry.register(JurisdictionRule, RuleCreateAction)
    registry.register(JurisdictionRule, RuleEditAction)


@hooks.register("register_admin_menu_item")
def rules_due_menu_item() -> MenuItem:
    return MenuItem("Rules due for review", reverse("certification_rules_due"),
                    icon_name="date", order=170)  # fmt: skip
