"""Position sizing: a fraction of equity over the structure's maximum loss.

Maximum loss is in dollars per one structure (one unit of every leg ratio), computed with
`tradier.money.cash_value`, the only place the 100 multiplier is applied. For a credit
spread it is `width x 100 - credit x 100`; for a debit structure it is the debit paid
(plus, for a ratio backspread, the width between its strikes). Quantity is
`floor(equity x risk_fraction / max_loss)`, clamped to `[floor, cap]`. The floor applies
only while it stays within `max_fraction_hard` of equity: a single structure whose loss
could exceed that is skipped (quantity 0), never forced in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from tradier.money import OPTION_MULTIPLIER, NetKind, cash_value


class SizingSkip(StrEnum):
    """Why a structure gets no size."""

    NO_EQUITY = "no_equity"
    UNBOUNDED_LOSS = "unbounded_loss"
    TOO_LARGE = "too_large"


@dataclass(frozen=True, slots=True)
class SizingPolicy:
    """Risk per trade as a fraction of equity; quantity floor and cap."""

    risk_fraction: Decimal = Decimal("0.02")
    floor: int = 1
    cap: int = 10
    max_fraction_hard: Decimal = Decimal("0.05")
    max_notional: Decimal = Decimal("20000")  # share positions: price x shares

    def __post_init__(self) -> None:
        if not Decimal(0) < self.risk_fraction <= Decimal(1):
            raise ValueError("risk_fraction: must be in (0, 1]")
        if self.floor < 0 or self.cap < max(self.floor, 1):
            raise ValueError("floor, cap: need 0 <= floor <= cap and cap >= 1")
        if not self.risk_fraction <= self.max_fraction_hard <= Decimal(1):
            raise ValueError("max_fraction_hard: must be in [risk_fraction, 1]")


@dataclass(frozen=True, slots=True)
class Sizing:
    """A quantity, or 0 with the reason it was skipped."""

    quantity: int
    max_loss_each: Decimal
    skip: SizingSkip | None = None


def _gross_and_premium(width: Decimal, net_price: Decimal) -> tuple[Decimal, Decimal]:
    if width <= 0:
        raise ValueError("width: must be > 0")
    if net_price < 0:
        raise ValueError("net_price: must be >= 0")
    return cash_value(width, 1, OPTION_MULTIPLIER), cash_value(net_price, 1, OPTION_MULTIPLIER)


def spread_max_loss(width: Decimal, net_price: Decimal, kind: NetKind) -> Decimal:
    """Dollars at risk on one 1:1 spread (vertical, iron condor or butterfly) of strike
    `width` opened at `net_price`: width less the credit, or the debit paid (a long
    vertical is worth between 0 and the width, so it can never lose more than its cost)."""
    gross, premium = _gross_and_premium(width, net_price)
    if kind is NetKind.CREDIT:
        return gross - premium
    if kind is NetKind.DEBIT:
        return min(premium, gross)
    return gross  # even: nothing known about which side pays, so the conservative width


def ratio_spread_max_loss(width: Decimal, net_price: Decimal, kind: NetKind) -> Decimal:
    """Dollars at risk on one 1x2 backspread (sell one nearer strike, buy two further
    ones `width` away): at the long strike the short leg is worth the width and the longs
    nothing, so the loss is the width plus the debit, or less the credit."""
    gross, premium = _gross_and_premium(width, net_price)
    if kind is NetKind.CREDIT:
        return gross - premium
    if kind is NetKind.DEBIT:
        return gross + premium
    return gross


def debit_max_loss(net_debit: Decimal) -> Decimal:
    """Dollars at risk on one long-premium structure bought for `net_debit` per unit."""
    if net_debit < 0:
        raise ValueError("net_debit: must be >= 0")
    return cash_value(net_debit, 1, OPTION_MULTIPLIER)


def equity_max_loss(entry: Decimal, stop: Decimal) -> Decimal:
    """Dollars at risk on one share entered at `entry` with a protective stop at `stop`."""
    if entry <= 0 or stop <= 0:
        raise ValueError("entry, stop: must be > 0")
    return cash_value(abs(entry - stop), 1, 1)


def size(equity: Decimal, max_loss_each: Decimal, policy: SizingPolicy) -> Sizing:
    """How many structures to open with `equity` at `max_loss_each` dollars each."""
    if equity <= 0:
        return Sizing(0, max_loss_each, SizingSkip.NO_EQUITY)
    if max_loss_each <= 0:
        # A structure that cannot lose is a pricing mistake, not free money.
        return Sizing(0, max_loss_each, SizingSkip.UNBOUNDED_LOSS)
    budget = equity * policy.risk_fraction
    quantity = int((budget / max_loss_each).to_integral_value(rounding=ROUND_FLOOR))
    quantity = min(max(quantity, policy.floor), policy.cap)
    if quantity == 0 or max_loss_each * quantity > equity * policy.max_fraction_hard:
        return Sizing(0, max_loss_each, SizingSkip.TOO_LARGE)
    return Sizing(quantity, max_loss_each)


def shares_for(equity: Decimal, entry: Decimal, stop: Decimal, policy: SizingPolicy) -> Sizing:
    """Share count for an equity trade: risk budget over the per-share stop distance,
    also capped so the position's notional stays within equity and `max_notional`."""
    per_share = equity_max_loss(entry, stop)
    if equity <= 0:
        return Sizing(0, per_share, SizingSkip.NO_EQUITY)
    if per_share <= 0:
        return Sizing(0, per_share, SizingSkip.UNBOUNDED_LOSS)
    budget = equity * policy.risk_fraction
    shares = int((budget / per_share).to_integral_value(rounding=ROUND_FLOOR))
    notional_cap = int(
        (min(equity, policy.max_notional) / entry).to_integral_value(rounding=ROUND_FLOOR)
    )
    shares = min(shares, notional_cap)
    if shares <= 0:
        return Sizing(0, per_share, SizingSkip.TOO_LARGE)
    return Sizing(shares, per_share)
