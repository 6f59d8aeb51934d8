"""Refund amounts (courses/refunds.py), pure and without the database: each case is
computed from what the payment still holds, never more and never below zero."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.refunds import (
    STANDARD_TIERS,
    Balance,
    RefundOutOfRange,
    Tier,
    cancellation_refund,
    chosen_refund,
    offering_cancellation_refund,
    refund_percent,
    seat_move_difference,
)

PRICE = 89500  # DN-1 and DN-2, DESIGN.md 2
FIRST_DAY = dt.date(2027, 1, 15)
PAID = Balance(PRICE, "usd")


def _cancel(balance: Balance, days: int, tiers=(), **kwargs):
    today = FIRST_DAY - dt.timedelta(days=days)
    return cancellation_refund(balance, tiers=tiers, first_day=FIRST_DAY, today=today, **kwargs)


@pytest.mark.parametrize(
    ("days", "percent"), [(60, 100), (28, 100), (27, 50), (14, 50), (13, 0), (0, 0)]
)
def test_it_refunds_by_the_standard_tiers_at_their_boundaries(days, percent):
    assert refund_percent(list(STANDARD_TIERS), days) == percent
    quote = _cancel(PAID, days)
    assert (quote.percent, quote.amount_cents, quote.days_before_start) == (
        percent, PRICE * percent // 100, days,
    )  # fmt: skip


def test_it_applies_an_offerings_own_tiers_and_nothing_below_the_last():
    assert _cancel(PAID, 10, tiers=[Tier(7, 80)]).amount_cents == 71600
    assert _cancel(PAID, 7, tiers=[Tier(7, 80)]).amount_cents == 71600
    assert _cancel(PAID, 6, tiers=[Tier(7, 80)]).amount_cents == 0


def test_it_counts_the_day_a_late_evening_cancellation_is_made_on_not_the_utc_date():
    """23:30 in New York 28 days before the first day is already the next day in UTC, 27
    days before; the learner cancelled 28 days before and gets everything back."""
    moment = dt.datetime(2026, 12, 19, 4, 30, tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (23, 30)

    on_time = cancellation_refund(PAID, tiers=(), first_day=FIRST_DAY, today=local.date())
    assert (on_time.days_before_start, on_time.amount_cents) == (28, PRICE)
    utc = cancellation_refund(PAID, tiers=(), first_day=FIRST_DAY, today=moment.date())
    assert (utc.days_before_start, utc.amount_cents) == (27, PRICE // 2)


def test_it_refunds_nothing_once_the_first_day_has_passed():
    quote = _cancel(PAID, -1, tiers=[Tier(0, 100)])
    assert (quote.percent, quote.amount_cents) == (0, 0)


def test_it_takes_the_tier_share_of_what_remains_after_a_partial_refund():
    after_move = Balance(PRICE, "usd", refunded_cents=(10000,))
    assert _cancel(after_move, 20).amount_cents == 39750  # 50% of 795.00, not of 895.00


def test_it_floors_a_share_to_the_cent():
    assert _cancel(Balance(89501, "usd"), 20).amount_cents == 44750


def test_it_returns_all_that_remains_when_the_offering_was_cancelled_whatever_the_tiers():
    quote = _cancel(Balance(PRICE, "usd", (5000,)), 3, offering_cancelled=True)
    assert (quote.percent, quote.amount_cents) == (100, 84500)
    assert quote.reason == "Cancelled after the offering was cancelled: all that remained."
    assert _cancel(PAID, 20).reason == "Cancelled 20 days before the start: 50%."


def test_it_leaves_out_nothing_paid_and_never_goes_below_zero():
    over_refunded = Balance(PRICE, "usd", (PRICE, 100))  # Stripe's dashboard refunded more
    assert over_refunded.remaining_cents == 0
    assert _cancel(over_refunded, 60).amount_cents == 0
    assert offering_cancellation_refund(over_refunded).amount_cents == 0
    with pytest.raises(ValueError):
        Balance(-1, "usd")
    with pytest.raises(ValueError):
        Balance(PRICE, "usd", (-100,))


@pytest.mark.parametrize("amount", [1, 40000, 79500])
def test_it_lets_a_registrar_refund_any_amount_up_to_what_remains(amount):
    quote = chosen_refund(Balance(PRICE, "usd", (10000,)), amount_cents=amount)
    assert (quote.amount_cents, quote.remaining_after_cents) == (amount, 79500 - amount)
    assert quote.settles_payment == (amount == 79500)


@pytest.mark.parametrize("amount", [0, -100, 79501, PRICE])
def test_it_refuses_a_registrar_refund_beyond_what_remains_or_below_a_cent(amount):
    with pytest.raises(RefundOutOfRange) as refused:
        chosen_refund(Balance(PRICE, "usd", (10000,)), amount_cents=amount)
    assert refused.value.remaining_cents == 79500


def test_it_refuses_any_refund_of_a_payment_refunded_in_full():
    with pytest.raises(RefundOutOfRange) as refused:
        chosen_refund(Balance(PRICE, "usd", (PRICE,)), amount_cents=1)
    assert refused.value.remaining_cents == 0


@pytest.mark.parametrize(
    ("price", "refund", "charge"),
    [(49500, 40000, 0), (PRICE, 0, 0), (99500, 0, 10000), (0, PRICE, 0)],
    ids=["down", "equal", "up", "free"],
)
def test_it_settles_a_seat_move_by_the_price_difference(price, refund, charge):
    difference = seat_move_difference(PAID, price_cents=price, currency="usd")
    assert (difference.refund_cents, difference.charge_cents) == (refund, charge)
    assert difference.is_even == (refund == charge == 0)


def test_it_compares_a_moved_seats_price_with_what_remains_not_with_what_was_paid():
    moved_down_before = Balance(PRICE, "usd", (40000,))  # holds 495.00 now
    back_up = seat_move_difference(moved_down_before, price_cents=PRICE, currency="usd")
    assert (back_up.refund_cents, back_up.charge_cents) == (0, 40000)
    same = seat_move_difference(moved_down_before, price_cents=49500, currency="usd")
    assert same.is_even


def test_it_refuses_to_compare_prices_in_two_currencies():
    with pytest.raises(ValueError):
        seat_move_difference(PAID, price_cents=PRICE, currency="eur")


def test_it_refunds_what_remains_when_the_offering_is_cancelled_after_a_partial_refund():
    quote = offering_cancellation_refund(Balance(PRICE, "usd", (20000, 5000)))
    assert (quote.amount_cents, quote.currency) == (64500, "usd")


# Properties: whatever the amounts, tiers and dates, a refund stays within what remains.
CENTS = st.integers(min_value=0, max_value=10_000_000)
TIERS = st.lists(
    st.builds(Tier, st.integers(min_value=0, max_value=400), st.integers(0, 100)), max_size=5
)
DAYS = st.integers(min_value=-30, max_value=400)


@st.composite
def balances(draw) -> Balance:
    paid = draw(CENTS)
    refunded = draw(st.lists(st.integers(min_value=0, max_value=paid), max_size=4))
    return Balance(paid, "usd", tuple(refunded))


@settings(max_examples=300, deadline=None)
@given(balance=balances(), tiers=TIERS, days=DAYS, cancelled=st.booleans())
def test_it_never_quotes_a_cancellation_beyond_what_remains_or_below_zero(
    balance, tiers, days, cancelled
):
    quote = _cancel(balance, days, tiers=tiers, offering_cancelled=cancelled)
    assert 0 <= quote.amount_cents <= balance.remaining_cents
    assert 0 <= quote.percent <= 100


@settings(max_examples=300, deadline=None)
@given(balance=balances(), price=CENTS)
def test_it_never_refunds_more_than_remains_on_a_seat_move(balance, price):
    difference = seat_move_difference(balance, price_cents=price, currency="usd")
    assert 0 <= difference.refund_cents <= balance.remaining_cents
    assert (
        difference.charge_cents >= 0 and min(difference.refund_cents, difference.charge_cents) == 0
    )
    # What the payment holds after the refund, plus any shortfall, is the new price.
    assert balance.remaining_cents - difference.refund_cents + difference.charge_cents == price


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("cancel"), TIERS, DAYS, st.booleans()),
        st.tuples(st.just("registrar"), st.integers(min_value=-10, max_value=10_000_000)),
        st.tuples(st.just("move"), CENTS),
        st.tuples(
            st.just("offering"),
        ),
    ),
    max_size=12,
)


def _refund_due(balance: Balance, operation: tuple) -> int:
    match operation:
        case ("cancel", tiers, days, cancelled):
            return _cancel(balance, days, tiers=tiers, offering_cancelled=cancelled).amount_cents
        case ("registrar", amount):
            try:
                return chosen_refund(balance, amount_cents=amount).amount_cents
            except RefundOutOfRange:
                return 0
        case ("move", price):
            return seat_move_difference(balance, price_cents=price, currency="usd").refund_cents
        case _:
            return offering_cancellation_refund(balance).amount_cents


@settings(max_examples=300, deadline=None)
@given(paid=CENTS, operations=OPERATIONS)
def test_it_never_refunds_more_than_was_paid_whatever_the_sequence_of_refunds(paid, operations):
    balance = Balance(paid, "usd")
    for operation in operations:
        due = _refund_due(balance, operation)
        assert 0 <= due <= balance.remaining_cents
        if due:
            balance = Balance(paid, "usd", (*balance.refunded_cents, due))
        assert sum(balance.refunded_cents) <= paid
