"""The one money model: prices are `Decimal` per unit, never floats.

The contract multiplier (100 shares per equity option contract) is applied here and only
here. A net price of a multi-leg order carries its kind explicitly: a credit is received,
a debit is paid, even is neither.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

OPTION_MULTIPLIER: Final = 100
EQUITY_MULTIPLIER: Final = 1
CENT: Final = Decimal("0.01")


class NetKind(StrEnum):
    """What a multi-leg net price means for cash."""

    CREDIT = "credit"
    DEBIT = "debit"
    EVEN = "even"


def to_decimal(value: str | int | float | Decimal) -> Decimal:
    """Parse a price from the wire. Floats go through `repr` so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def cash_value(price_per_unit: Decimal, quantity: int, multiplier: int) -> Decimal:
    """Cash for `quantity` contracts or shares at a per-unit price: the one place
    the multiplier is applied."""
    return price_per_unit * quantity * multiplier


def signed_net(price: Decimal, kind: NetKind) -> Decimal:
    """A net price as signed cash per unit: + for a credit received, - for a debit paid."""
    if kind is NetKind.CREDIT:
        return price
    if kind is NetKind.DEBIT:
        return -price
    return Decimal(0)


def round_cents(value: Decimal) -> Decimal:
    """Round to cents, banker's rounding (for reports, never for decisions)."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def to_wire(value: Decimal) -> str:
    """A decimal as the plain string sent on the wire (no exponent)."""
    return format(value, "f")
