"""Refund policy: the standard tiers new offerings start with (DESIGN.md 3.3, issue 4)."""

from __future__ import annotations

from typing import NamedTuple


class Tier(NamedTuple):
    days_before_start: int
    percent: int


STANDARD_TIERS = (Tier(28, 100), Tier(14, 50), Tier(0, 0))

TIER_DUPLICATED = "Two refund tiers start {days} days before the first day; keep one."
TIER_NOT_DECREASING = (
    "Refund tiers must give back less the closer to the start: {later} days before "
    "cannot return more than {earlier} days before."
)


def refund_tier_errors(tiers: list[Tier]) -> list[str]:
    """Messages for a set of tiers; an empty set means the standard tiers apply."""
    ordered = sorted(tiers, reverse=True)
    messages = []
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.days_before_start == later.days_before_start:
            messages.append(TIER_DUPLICATED.format(days=later.days_before_start))
        elif later.percent > earlier.percent:
            messages.append(TIER_NOT_DECREASING.format(
                later=later.days_before_start, earlier=earlier.days_before_start
            ))  # fmt: skip
    return messages


def tiers_in_force(tiers: list[Tier]) -> list[Tier]:
    """The offering's own tiers, most generous first, or the standard ones when it has none."""
    return sorted(tiers, reverse=True) if tiers else list(STANDARD_TIERS)


def refund_percent(tiers: list[Tier], days_before_start: int) -> int:
    """The share refunded when cancelling `days_before_start` days before the first day:
    the most generous tier whose threshold is met ("at least N days before")."""
    for tier in tiers_in_force(tiers):
        if days_before_start >= tier.days_before_start:
            return tier.percent
    return 0
