"""Demo content for `seed_demo`: the home page the migrations created, with demo text."""

from __future__ import annotations

from .models import HomePage

DEMO_HOME_INTRO = (
    "<p>Hands-on, post-graduate dry needling education for physical therapists and other "
    "licensed clinicians. Take DN-1 and DN-2 (27 contact hours each), keep every training "
    "hour in one record a state board can read, check whether your state's requirements "
    "are met, and earn the <b>Certification in Dry Needling</b>.</p>"
)


def demo_home_page_seed() -> HomePage:
    """Give the home page its demo introduction; publishing again only if it differs."""
    home = HomePage.objects.get()
    if home.intro != DEMO_HOME_INTRO:
        home.intro = DEMO_HOME_INTRO
        home.save_revision().publish()
    return home
