"""Creating pages idempotently, for the demo seed and the state guides."""

from __future__ import annotations

from typing import Any

from wagtail.models import Page


def page_child_ensure(parent: Page, model: type[Page], slug: str, **fields: Any) -> Page:
    """The published child with this slug, created (and published) when missing; an
    existing page is left as editors made it."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page
