"""The registrar's dashboard: panels on the Wagtail admin's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton

from accounts.roles import user_is_staff_member
from config.dates import provider_today

from .admin_views import (
    IMPORT_LOG_ACTION,
    changes_view,
    export_file_download,
    export_file_view,
    export_view,
    import_original_view,
    import_view,
)  # fmt: skip
from .export_files import EXPORT_LOG_ACTION
from .history import kind_of
from .panel_cache import kept_panel
from .selectors import licenses_expiring, offerings_ahead, work_queues


class KeptPanel(Component):
    """A registrar panel whose HTML is kept until what it shows may change (panel_cache)."""

    def render_html(self, parent_context: dict | None = None) -> str:
        return kept_panel(self.name, lambda: super(KeptPanel, self).render_html(parent_context))


class WorkQueuesPanel(KeptPanel):
    name = "work_queues"
    order = 50
    template_name = "operations/panels/work_queues.html"

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        today = provider_today()
        return {
            "queues": work_queues(today=today),
            "expiring": licenses_expiring(today=today).order_by("expires_on")[:10],
        }


class OfferingsAheadPanel(KeptPanel):
    name = "offerings_ahead"
    order = 60
    template_name = "operations/panels/offerings_ahead.html"

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        offerings = offerings_ahead(today=provider_today(), now=timezone.now())
        return {"offerings": offerings}


@hooks.register("construct_homepage_panels")
def registrar_panels(request: HttpRequest, panels: list) -> None:
    if user_is_staff_member(request.user):
        panels[:0] = [WorkQueuesPanel(), OfferingsAheadPanel()]


@hooks.register("construct_homepage_summary_items", order=1)
def no_site_summary(request: HttpRequest, summary_items: list) -> None:
    """Wagtail's counts of pages, images and documents (each a count over its whole table,
    issue 17) tell a registrar nothing to do: the work queues stand in their place, and the
    menu still leads to pages, images and documents. Order 1: after Wagtail's own hooks."""
    summary_items.clear()


@hooks.register("register_admin_urls")
def export_urls() -> list:
    return [
        path("exports/", export_view, name="operations_exports"),
        path("exports/<uuid:pk>/", export_file_view, name="operations_export_file"),
        path(
            "exports/<uuid:pk>/download/",
            export_file_download,
            name="operations_export_file_download",
        ),  # fmt: skip
        path("imports/", import_view, name="operations_imports"),
        path(
            "imports/<slug:import_id>/original.csv",
            import_original_view,
            name="operations_import_original",
        ),  # fmt: skip
        path("<str:kind>/<int:pk>/changes/", changes_view, name="operations_changes"),
    ]


@hooks.register("register_snippet_listing_buttons")
def changes_button(snippet: object, user: object, next_url: str | None = None):
    if kind := kind_of(snippet):
        yield ListingButton(
            "Changes", reverse("operations_changes", args=[kind, snippet.pk]), priority=50
        )


@hooks.register("register_admin_menu_item")
def export_menu_item() -> MenuItem:
    return MenuItem("Exports", reverse("operations_exports"), icon_name="download", order=180)


@hooks.register("register_admin_menu_item")
def import_menu_item() -> MenuItem:
    return MenuItem("Imports", reverse("operations_imports"), icon_name="upload", order=181)


@hooks.register("register_log_actions")
def export_log_actions(actions: object) -> None:
    actions.register_action(EXPORT_LOG_ACTION, "Data exported", "Data exported")
    actions.register_action(IMPORT_LOG_ACTION, "Data imported", "Data imported")
