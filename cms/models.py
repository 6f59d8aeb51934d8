"""Public pages edited in the Wagtail admin. Pages present; the catalog owns the facts."""

from __future__ import annotations

from typing import ClassVar

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's root page: an introduction and the top of the navigation."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"
