"""Licenses in the Wagtail admin: registrars list, filter and review them."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.log_actions import LogActionRegistry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import license_review_view, outside_training_review_view
from .models import License, OutsideTraining
from .selectors import learner_display_name
from .services import LICENSE_REVIEW_LOG_ACTION, OUTSIDE_REVIEW_LOG_ACTION

LEARNER_COLUMN = Column(
    "learner", label="Learner", accessor=lambda row: learner_display_name(row.learner)
)


class LicenseViewSet(SnippetViewSet):
    model = License
    icon = "user"
    menu_label = "Licenses"
    menu_order = 160
    add_to_admin_menu = True
    list_display: ClassVar[list] = [
        TitleColumn(
            "number", label="License", accessor="__str__", url_name="learners_license_review"
        ),
        LEARNER_COLUMN,
        "status",
        "expires_on",
        "created_at",
    ]
    list_filter: ClassVar[list] = ["status", "jurisdiction"]
    ordering = ["status", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[License]:
        return License.objects.select_related("learner__learner_profile", "profession")


register_snippet(LicenseViewSet)


class OutsideTrainingViewSet(SnippetViewSet):
    model = OutsideTraining
    icon = "doc-full"
    menu_label = "Outside training"
    menu_order = 161
    add_to_admin_menu = True
    list_display: ClassVar[list] = [
        TitleColumn(
            "title",
            label="Training",
            accessor="__str__",
            url_name="learners_outside_training_review",
        ),  # fmt: skip
        LEARNER_COLUMN,
        "status",
        "ended_on",
        "submitted_at",
    ]
    list_filter: ClassVar[list] = ["status"]
    ordering = ["status", "submitted_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutsideTraining]:
        return OutsideTraining.objects.select_related("learner__learner_profile")


register_snippet(OutsideTrainingViewSet)


@hooks.register("register_admin_urls")
def license_review_urls() -> list:
    return [
        path("licenses/<int:pk>/review/", license_review_view, name="learners_license_review"),
        path(
            "outside-training/<int:pk>/review/",
            outside_training_review_view,
            name="learners_outside_training_review",
        ),
    ]


@hooks.register("register_log_actions")
def license_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action(LICENSE_REVIEW_LOG_ACTION, "License reviewed", "License reviewed")
    actions.register_action(
        OUTSIDE_REVIEW_LOG_ACTION, "Outside training reviewed", "Outside training reviewed"
    )
