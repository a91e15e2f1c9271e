"""Exit rules for open structures: take profit, stop loss, time, days to expiry.

P&L convention (one unit everywhere in the brain): **dollars per structure**, i.e. for one
unit of every leg ratio, multiplier applied by `tradier.money.cash_value`. For a
structure opened at signed net `entry` (+credit / -debit per unit) and closable now at
signed net `close` (the natural price of the reversed legs: a debit to buy back is
negative), `pnl_each = cash_value(entry + close, 1, multiplier)`. A position's total P&L
is `pnl_each * quantity`.

Targets are fixed at entry (`Targets`, dollars per structure), so a restart or an adopted
position keeps them:
- credit structures: take profit at `take_profit` x the credit received, stop at
  `stop_loss` x the maximum loss;
- debit structures: take profit at `take_profit_debit` x the debit paid, stop at
  `stop_loss` x the maximum loss (for a long spread that is the debit; for a ratio
  backspread bought for a few cents it is far more, and a stop on the debit alone would
  fire on the bid/ask spread the moment it opened);
- equity: stop at the stop distance, take profit at `reward_multiple` times it.
The first rule that fires wins, checked in the order: days to expiry, stop loss,
take profit, time (a stop never waits behind a profit target). A stop is judged on the
P&L at the mid (the mark), a profit target on the P&L at the natural closing price (what
a close realises), so the spread neither stops a position out nor books a phantom profit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, cash_value


class ExitReason(StrEnum):
    """Why a structure is being closed."""

    TAKE_PROFIT = "take_profit"
    STOP_LOSS = "stop_loss"
    TIME = "time"
    DAYS_TO_EXPIRY = "days_to_expiry"


@dataclass(frozen=True, slots=True)
class ExitPolicy:
    """When to close: profit and loss fractions, holding time and DTE floor."""

    take_profit: Decimal = Decimal("0.50")
    take_profit_debit: Decimal = Decimal("0.50")
    stop_loss: Decimal = Decimal("0.50")
    max_hold_ms: int = 5 * 24 * 3_600_000
    min_dte: int = 1

    def __post_init__(self) -> None:
        for name in ("take_profit", "take_profit_debit", "stop_loss"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}: must be > 0")
        if self.max_hold_ms <= 0 or self.min_dte < 0:
            raise ValueError("max_hold_ms: must be > 0 and min_dte >= 0")


@dataclass(frozen=True, slots=True)
class Targets:
    """Exit levels fixed at entry, dollars per structure (both positive)."""

    take_profit_each: Decimal
    stop_loss_each: Decimal


def option_targets(entry_signed: Decimal, max_loss_each: Decimal, policy: ExitPolicy) -> Targets:
    """Targets of an option structure opened at signed net `entry_signed` per unit."""
    premium = cash_value(abs(entry_signed), 1, OPTION_MULTIPLIER)
    if entry_signed > 0:
        return Targets(premium * policy.take_profit, max_loss_each * policy.stop_loss)
    return Targets(premium * policy.take_profit_debit, max_loss_each * policy.stop_loss)


def equity_targets(stop_distance: Decimal, reward_multiple: Decimal) -> Targets:
    """Targets of a share position: stop at the stop distance, profit at a multiple of it."""
    per_share = cash_value(stop_distance, 1, EQUITY_MULTIPLIER)
    return Targets(per_share * reward_multiple, per_share)


def pnl_each(entry_signed: Decimal, close_signed: Decimal, multiplier: int) -> Decimal:
    """Dollars per structure if closed now (see the module docstring)."""
    return cash_value(entry_signed + close_signed, 1, multiplier)


def evaluate(
    marked_pnl: Decimal,
    realisable_pnl: Decimal,
    targets: Targets,
    opened_at_ms: int,
    now_ms: int,
    nearest_expiry: date | None,
    today: date,
    policy: ExitPolicy,
) -> ExitReason | None:
    """The exit that fires now for a structure marked at `marked_pnl` dollars each (mid)
    and closable for `realisable_pnl` (natural price), or None to hold."""
    if nearest_expiry is not None and (nearest_expiry - today).days <= policy.min_dte:
        return ExitReason.DAYS_TO_EXPIRY
    if targets.stop_loss_each > 0 and marked_pnl <= -targets.stop_loss_each:
        return ExitReason.STOP_LOSS
    if targets.take_profit_each > 0 and realisable_pnl >= targets.take_profit_each:
        return ExitReason.TAKE_PROFIT
    if now_ms - opened_at_ms >= policy.max_hold_ms:
        return ExitReason.TIME
    return None
