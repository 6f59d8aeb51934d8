"""Public pages edited in the Wagtail admin. Pages present; the catalog owns the facts:
a course page shows its Course's price, hours and CEU approvals, never a typed copy."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest, HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from certification.rules import rule_statuses, rules_for_jurisdiction
from config.page_cache import cacheable
from courses import selectors
from learners.models import Profession
from learners.selectors import profile_get_for_user

from .blocks import CoursePageStreamBlock, StandardPageStreamBlock

HOME_UPCOMING_COUNT = 6


class PublicPage(Page):
    """A page the same for every anonymous visitor: kept whole in the page cache
    (config/page_cache.py; Wagtail's privacy check answers before `serve`)."""

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return cacheable(super().serve(request, *args, **kwargs))


class HomePage(PublicPage):
    """The site's root: an introduction and the next offerings."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = selectors.offerings_upcoming()[:HOME_UPCOMING_COUNT]
        return context


class CourseIndexPage(PublicPage):
    """Lists the course pages below it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["cms.HomePage"]
    subpage_types: ClassVar[list[str]] = ["cms.CoursePage"]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["course_pages"] = (
            CoursePage.objects.child_of(self)
            .live()
            .select_related("course")
            .order_by("course__code")
        )
        return context


class CoursePage(PublicPage):
    """The public page of one Course: editors write the text, the catalog gives the facts."""

    course = models.OneToOneField("courses.Course", on_delete=models.PROTECT, related_name="page")
    body = StreamField(CoursePageStreamBlock(), blank=True)

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("course"),
        FieldPanel("body"),
    ]
    search_fields: ClassVar[list] = [*Page.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[str]] = ["cms.CourseIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["offerings"] = selectors.offerings_upcoming(course=self.course)
        context["ceu_approvals"] = self.course.ceu_approvals.all()
        context["professions"] = self.course.professions_admitted.all()
        context["prerequisites"] = self.course.prerequisites.all()
        return context


class StandardPage(PublicPage):
    """About, policies and other plain pages."""

    body = StreamField(StandardPageStreamBlock(), blank=True)

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("body")]
    search_fields: ClassVar[list] = [*Page.search_fields, index.SearchField("body")]
    subpage_types: ClassVar[list[str]] = ["cms.StandardPage"]


class StateGuideIndexPage(PublicPage):
    """Lists a guide per state, each with its rule's status."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["cms.HomePage"]
    subpage_types: ClassVar[list[str]] = ["cms.StateGuidePage"]
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        statuses = rule_statuses()
        on_file = sorted({code for by_code in statuses.values() for code in by_code},
                         key=lambda code: (code != "PT", code))  # fmt: skip
        context["professions"] = on_file
        context["guides"] = [
            (guide, [(code, statuses.get(guide.jurisdiction, {}).get(code)) for code in on_file])
            for guide in StateGuidePage.objects.child_of(self).live().order_by("title")
        ]
        return context


class StateGuidePage(PublicPage):
    """A state's guide: editors write the text around it; the rule on file (status,
    requirements, conditions, citations) comes from the rules, never typed here."""

    jurisdiction = models.CharField(max_length=2, unique=True, help_text="Postal code, e.g. VA.")
    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    body = StreamField(StandardPageStreamBlock(), blank=True)

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("jurisdiction"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields: ClassVar[list] = [
        *Page.search_fields, index.SearchField("intro"), index.SearchField("body"),
    ]  # fmt: skip
    parent_page_types: ClassVar[list[str]] = ["cms.StateGuideIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        names = {p.code: p.name for p in Profession.objects.all()}
        own = _own_profession(request)
        rules = sorted(rules_for_jurisdiction(self.jurisdiction), key=lambda r: r.profession != own)
        context["sections"] = [
            (names.get(rule.profession, rule.profession), rule) for rule in rules
        ]
        context["own_profession"] = own
        return context


def _own_profession(request: HttpRequest) -> str | None:
    """The signed-in learner's profession, whose section of a guide comes first."""
    if not request.user.is_authenticated:
        return None
    profile = profile_get_for_user(user=request.user)
    return profile.profession.code if profile and profile.profession else None
