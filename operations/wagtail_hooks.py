"""The registrar's dashboard: panels on the Wagtail admin's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from accounts.roles import user_is_staff_member

from .selectors import licenses_expiring, offerings_ahead, work_queues


class WorkQueuesPanel(Component):
    name = "work_queues"
    order = 50
    template_name = "operations/panels/work_queues.html"

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        today = timezone.localdate()
        return {
            "queues": work_queues(today=today),
            "expiring": licenses_expiring(today=today).order_by("expires_on")[:10],
        }


class OfferingsAheadPanel(Component):
    name = "offerings_ahead"
    order = 60
    template_name = "operations/panels/offerings_ahead.html"

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        offerings = offerings_ahead(today=timezone.localdate(), now=timezone.now())
        return {"offerings": offerings}


@hooks.register("construct_homepage_panels")
def registrar_panels(request: HttpRequest, panels: list) -> None:
    if user_is_staff_member(request.user):
        panels[:0] = [WorkQueuesPanel(), OfferingsAheadPanel()]
