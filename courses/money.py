"""Money is integer cents plus an ISO currency code; this is the one place that formats it."""

from __future__ import annotations

from decimal import Decimal

SYMBOLS = {"usd": "$", "cad": "CA$", "eur": "€", "gbp": "£"}


def format_money(cents: int, currency: str) -> str:
    """Return e.g. "$895" for 89500 usd, or "$895.50"; unknown currencies get their code."""
    whole, fraction = divmod(cents, 100)
    amount = f"{whole:,}" if fraction == 0 else f"{whole:,}.{fraction:02d}"
    symbol = SYMBOLS.get(currency.lower())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"


def cents_to_decimal(cents: int) -> Decimal:
    """Return e.g. Decimal("895.00") for 89500: the amount as a plain number, for files."""
    return Decimal(cents).scaleb(-2)
