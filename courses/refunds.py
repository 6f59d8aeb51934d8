"""Refund policy and refund amounts (DESIGN.md 2 Payment, 3.3; issue 13 item 7): the one
owner of how much goes back. Every case is computed from what the payment still holds
(`Balance`: paid, minus refunds sent or on their way), so no refund exceeds it and none is
negative. Pure: plain data in, a typed quote out; no database, no clock (the caller passes
today's date). Amounts are integer cents, like `Payment.amount_cents`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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


def tiers_in_force(tiers: Sequence[Tier]) -> list[Tier]:
    """The offering's own tiers, most generous first, or the standard ones when it has none."""
    return sorted(tiers, reverse=True) if tiers else list(STANDARD_TIERS)


def refund_percent(tiers: Sequence[Tier], days_before_start: int) -> int:
    """The share refunded when cancelling `days_before_start` days before the first day:
    the most generous tier whose threshold is met ("at least N days before")."""
    for tier in tiers_in_force(tiers):
        if days_before_start >= tier.days_before_start:
            return tier.percent
    return 0


@dataclass(frozen=True)
class Balance:
    """What a payment holds: `paid_cents`, less `refunded_cents` (each refund sent or on
    its way; one Stripe refused gave nothing back and is left out by the caller)."""

    paid_cents: int
    currency: str
    refunded_cents: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.paid_cents < 0 or any(cents < 0 for cents in self.refunded_cents):
            raise ValueError(f"Amounts are never negative: {self!r}")

    @property
    def remaining_cents(self) -> int:
        """What can still go back: never negative, even when Stripe's dashboard refunded
        more than we know of."""
        return max(0, self.paid_cents - sum(self.refunded_cents))


@dataclass(frozen=True)
class CancellationRefund:
    """A learner cancelling: the tier's share of what remains, or all of it when the
    provider cancelled the offering first."""

    amount_cents: int
    currency: str
    percent: int
    days_before_start: int
    offering_cancelled: bool

    @property
    def reason(self) -> str:
        """Kept with the refund row and shown to auditors."""
        if self.offering_cancelled:
            return "Cancelled after the offering was cancelled: all that remained."
        return f"Cancelled {self.days_before_start} days before the start: {self.percent}%."


def cancellation_refund(
    balance: Balance,
    *,
    tiers: Sequence[Tier],
    first_day: dt.date,
    today: dt.date,
    offering_cancelled: bool = False,
) -> CancellationRefund:
    """The learner's refund on cancelling `today` (a date in the first day's calendar):
    the percent of the first tier met, floored to the cent."""
    days = (first_day - today).days
    percent = 100 if offering_cancelled else refund_percent(tiers, days)
    percent = min(100, max(0, percent))
    return CancellationRefund(
        amount_cents=balance.remaining_cents * percent // 100,
        currency=balance.currency,
        percent=percent,
        days_before_start=days,
        offering_cancelled=offering_cancelled,
    )


class RefundOutOfRange(ValueError):
    """A chosen amount that is not between one cent and what remains."""

    def __init__(self, remaining_cents: int) -> None:
        self.remaining_cents = remaining_cents
        super().__init__(f"A refund is between 1 and {remaining_cents} cents.")


@dataclass(frozen=True)
class ChosenRefund:
    """A registrar's refund of an amount they chose."""

    amount_cents: int
    currency: str
    remaining_after_cents: int

    @property
    def settles_payment(self) -> bool:
        """Nothing remains paid afterwards: the seat cannot stay confirmed on it."""
        return self.remaining_after_cents == 0


def check_refundable(balance: Balance, amount_cents: int) -> None:
    """Raise RefundOutOfRange unless 0 < amount <= what remains: checked again on the
    locked payment before any refund is sent."""
    if not 0 < amount_cents <= balance.remaining_cents:
        raise RefundOutOfRange(balance.remaining_cents)


def chosen_refund(balance: Balance, *, amount_cents: int) -> ChosenRefund:
    """The registrar's amount, refused (RefundOutOfRange) unless 0 < amount <= remaining."""
    check_refundable(balance, amount_cents)
    return ChosenRefund(amount_cents, balance.currency, balance.remaining_cents - amount_cents)


@dataclass(frozen=True)
class PriceDifference:
    """A seat moving to an offering priced `price_cents`: what the payment holds beyond the
    price goes back (`refund_cents`); a shortfall is `charge_cents`. At most one is not 0."""

    refund_cents: int
    charge_cents: int
    currency: str

    @property
    def is_even(self) -> bool:
        return self.refund_cents == self.charge_cents == 0


def seat_move_difference(balance: Balance, *, price_cents: int, currency: str) -> PriceDifference:
    """The difference between what the payment holds and the new price (same currency:
    the caller refuses a move across currencies with its own message)."""
    if currency.lower() != balance.currency.lower():
        raise ValueError(f"Cannot compare {balance.currency} with {currency}.")
    if price_cents < 0:
        raise ValueError(f"A price is never negative: {price_cents}")
    remaining = balance.remaining_cents
    return PriceDifference(
        refund_cents=max(0, remaining - price_cents),
        charge_cents=max(0, price_cents - remaining),
        currency=balance.currency,
    )


@dataclass(frozen=True)
class OfferingCancellationRefund:
    """The provider cancelled the offering: everything that remains goes back."""

    amount_cents: int
    currency: str


def offering_cancellation_refund(balance: Balance) -> OfferingCancellationRefund:
    return OfferingCancellationRefund(balance.remaining_cents, balance.currency)
