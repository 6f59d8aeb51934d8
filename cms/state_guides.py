"""One guide page per state and DC under /states/, each showing its rule on file; editors
then write the text around it. Existing pages are never overwritten."""

from __future__ import annotations

from django.utils.text import slugify

from learners.jurisdictions import states_and_dc

from .models import HomePage, StateGuideIndexPage, StateGuidePage
from .page_tree import page_child_ensure

INDEX_INTRO = (
    "<p>Every state sets its own rules for dry needling. Each guide shows the rules we have on "
    "file for each profession, with their sources and dates.</p>"
)


def state_guides_ensure() -> int:
    """Create the index and any missing state guide; returns how many guides were created."""
    home = HomePage.objects.get()
    index = page_child_ensure(home, StateGuideIndexPage, "states", title="State guides",
                              show_in_menus=True, intro=INDEX_INTRO)  # fmt: skip
    existing = set(StateGuidePage.objects.values_list("jurisdiction", flat=True))
    created = 0
    for code, name in states_and_dc().items():
        if code not in existing:
            page_child_ensure(
                index, StateGuidePage, slugify(name), title=f"Dry needling in {name}",
                jurisdiction=code,
                search_description=f"{name}'s dry-needling rules on file, by profession, cited.",
            )  # fmt: skip
            created += 1
    return created
