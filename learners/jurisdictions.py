"""Where a license can be held: a US state, DC or territory, or another country.

A jurisdiction is written as a US postal code ("VA", "DC", "PR") for the United States, or
as "country:XX" with the ISO 3166 code otherwise ("country:CA"), so Canada never reads as
California. The names come from pycountry's copy of ISO 3166.
"""

from __future__ import annotations

from functools import cache

import pycountry

COUNTRY_PREFIX = "country:"
UNKNOWN_JURISDICTION = "Unknown jurisdiction “{code}”: choose a US state or a country."


@cache
def us_jurisdictions() -> dict[str, str]:
    """Postal code -> name for the states, DC and the territories."""
    subdivisions = pycountry.subdivisions.get(country_code="US")
    return {s.code.removeprefix("US-"): s.name for s in sorted(subdivisions, key=lambda s: s.name)}


@cache
def states_and_dc() -> dict[str, str]:
    """Postal code -> name for the 50 states and DC: the jurisdictions state rules cover."""
    subdivisions = pycountry.subdivisions.get(country_code="US")
    return {
        s.code.removeprefix("US-"): s.name
        for s in sorted(subdivisions, key=lambda s: s.name)
        if s.type in ("State", "District")
    }


@cache
def other_countries() -> dict[str, str]:
    return {
        f"{COUNTRY_PREFIX}{c.alpha_2}": c.name
        for c in sorted(pycountry.countries, key=lambda c: c.name)
        if c.alpha_2 != "US"
    }


def jurisdiction_name(code: str) -> str:
    """The readable name, or raise KeyError for an unknown code."""
    return us_jurisdictions().get(code) or other_countries()[code]


def jurisdiction_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("United States", list(us_jurisdictions().items())),
        ("Other countries", list(other_countries().items())),
    ]
