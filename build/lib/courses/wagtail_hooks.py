"""The catalog in the Wagtail admin (registrars): courses, venues and offerings, with list
filters and search. Instructors and learners have no admin access at all."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import selectors
from .admin_forms import OfferingAdminForm
from .models import Course, Offering, Venue


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "doc-full"
    menu_label = "Courses"
    list_display: ClassVar[list] = ["code", "title", "contact_hours", "price_display"]
    search_fields: ClassVar[list] = ["code", "title"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = "Venues"
    list_display: ClassVar[list] = ["name", "city", "region", "timezone"]
    list_filter: ClassVar[list] = ["region", "country"]
    search_fields: ClassVar[list] = ["name", "city"]


class OfferingViewSet(SnippetViewSet):
    model = Offering
    icon = "date"
    menu_label = "Offerings"
    list_display: ClassVar[list] = [
        TitleColumn("course", label="Offering", accessor="__str__",
                    url_name="wagtailsnippets_courses_offering:edit"),
        "status",
        "capacity",
        Column("seats_taken", label="Seats taken"),
    ]  # fmt: skip
    list_filter: ClassVar[list] = ["status", "course", "venue__region"]
    edit_handler = ObjectList(Offering.panels, base_form_class=OfferingAdminForm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offering]:
        # Drafts included: registrars see everything; annotations give dates and seats.
        return selectors.offerings_admin()


class CatalogGroup(SnippetViewSetGroup):
    menu_label = "Catalog"
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (CourseViewSet, OfferingViewSet, VenueViewSet)


register_snippet(CatalogGroup)
