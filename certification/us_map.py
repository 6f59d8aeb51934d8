"""A tile-grid map of the United States (one square per state and DC, in roughly their places),
drawn as SVG by the template: every tile carries its postal code and a status symbol beside its
colour, so colour is never the only signal."""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Status, Verdict

TILE, GAP = 40, 4
# Row by row, west to east: the common tile-grid arrangement.
GRID = {
    0: {"AK": 0, "ME": 10},
    1: {"VT": 9, "NH": 10},
    2: {"WA": 0, "ID": 1, "MT": 2, "ND": 3, "MN": 4, "IL": 5, "WI": 6, "MI": 7, "NY": 8,
        "RI": 9, "MA": 10},
    3: {"OR": 0, "NV": 1, "WY": 2, "SD": 3, "IA": 4, "IN": 5, "OH": 6, "PA": 7, "NJ": 8,
        "CT": 9},
    4: {"CA": 0, "UT": 1, "CO": 2, "NE": 3, "MO": 4, "KY": 5, "WV": 6, "VA": 7, "MD": 8,
        "DE": 9},
    5: {"AZ": 1, "NM": 2, "KS": 3, "AR": 4, "TN": 5, "NC": 6, "SC": 7, "DC": 8},
    6: {"OK": 3, "LA": 4, "MS": 5, "AL": 6, "GA": 7},
    7: {"HI": 0, "TX": 3, "FL": 8},
}  # fmt: skip
# Keyed by Verdict.display_status: "eligible if" is marked apart from a plain eligible.
SYMBOL = {
    Status.ELIGIBLE: "✓", "eligible_if": "✓*", Status.NOT_YET: "…", Status.PROHIBITED: "✕",
    Status.UNKNOWN: "?",
}  # fmt: skip
LABEL = {
    Status.ELIGIBLE: "Eligible",
    "eligible_if": "Eligible if conditions are met (see the table)",
    Status.NOT_YET: "Not yet",
    Status.PROHIBITED: "Prohibited",
    Status.UNKNOWN: "Unknown: ask the board",
}
WIDTH = 11 * (TILE + GAP)
HEIGHT = 8 * (TILE + GAP)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    status: str
    symbol: str
    label: str
    x: int
    y: int

    @property
    def text_x(self) -> int:
        return self.x + TILE // 2


def map_tiles(verdicts: list[Verdict]) -> list[Tile]:
    by_code = {v.rule.jurisdiction: v for v in verdicts}
    return [
        Tile(code, by_code[code].rule.name, by_code[code].display_status,
             SYMBOL[by_code[code].display_status], LABEL[by_code[code].display_status],
             column * (TILE + GAP), row * (TILE + GAP))
        for row, columns in GRID.items()
        for code, column in columns.items()
        if code in by_code
    ]  # fmt: skip
