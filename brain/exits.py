"""Exit rules for open structures: take profit, stop loss, time, days to expiry.

P&L convention (one unit everywhere in the brain): **dollars per structure**, i.e. for one
unit of every leg ratio, multiplier applied by `tradier.money.cash_value`. For a
structure opened at signed net `entry` (+credit / -debit per unit) and closable now at
signed net `close` (the natural price of the reversed legs: a debit to buy back is
negative), `pnl_each = cash_value(entry + close, 1, multiplier)`. A position's total P&L
is `pnl_each * quantity`.

Targets are fixed at entry (`Targets`, dollars per structure), so a restart or an adopted
position keeps them. They come from the structure's economics, never from a premium that
can be cents:
- bounded-profit structures (credit spreads, condors, butterflies, debit verticals): take
  profit at `take_profit` x the maximum profit; stop at `stop_loss` x the maximum loss,
  and for a credit structure no further than `credit_stop_multiple` x the credit (buying
  a condor back at twice its credit is the trader's usual line, well inside its max loss);
- long-volatility structures (ratio backspreads, calendars, single longs), whose profit
  needs a move rather than time: stop at `stop_loss` x the maximum loss, take profit at
  `long_vol_reward` x that stop (the move has to pay for the risk taken to wait for it).
Every `Targets` states its `reward_risk` (take profit over stop); the planner refuses a
structure below `min_reward_risk`, or one whose bid/ask at entry (`spread_each`) uses more
than `max_spread_of_stop` of its stop distance.
- equity: stop at the stop distance, take profit at `reward_multiple` times it.
The first rule that fires wins, checked in the order: days to expiry, stop loss,
take profit, time (a stop never waits behind a profit target). A stop is judged on the
P&L at the mid (the mark) measured from the mid at entry (`spread_each` is added back),
so the bid/ask paid to get in never stops a position out on its own; a profit target is
judged on the P&L at the natural closing price (what a close realises).
Days to expiry count trading sessions (`sessions_to_expiry`), not calendar days, so a
short leg expiring on Monday is closed on Friday, not held over the weekend into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tradier.money import CENT, EQUITY_MULTIPLIER, OPTION_MULTIPLIER, cash_value


class ExitReason(StrEnum):
    """Why a structure is being closed."""

    TAKE_PROFIT = "take_profit"
    STOP_LOSS = "stop_loss"
    TIME = "time"
    DAYS_TO_EXPIRY = "days_to_expiry"


@dataclass(frozen=True, slots=True)
class ExitPolicy:
    """When to close: fractions of max profit and max loss, the reward-to-risk floor,
    holding time and the floor on trading sessions to expiry."""

    take_profit: Decimal = Decimal("0.50")
    stop_loss: Decimal = Decimal("0.50")
    credit_stop_multiple: Decimal = Decimal("1.0")
    long_vol_reward: Decimal = Decimal("1.0")
    min_reward_risk: Decimal = Decimal("0.40")
    max_spread_of_stop: Decimal = Decimal("0.50")
    max_hold_ms: int = 5 * 24 * 3_600_000
    # close before the last session of the nearest expiry: 1 = exit on the session before
    min_dte: int = 1

    def __post_init__(self) -> None:
        for name in (
            "take_profit",
            "stop_loss",
            "credit_stop_multiple",
            "long_vol_reward",
            "min_reward_risk",
            "max_spread_of_stop",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}: must be > 0")
        if self.take_profit > 1 or self.stop_loss > 1:
            raise ValueError("take_profit, stop_loss: fractions of max profit/loss, <= 1")
        if self.max_hold_ms <= 0 or self.min_dte < 0:
            raise ValueError("max_hold_ms: must be > 0 and min_dte >= 0")


@dataclass(frozen=True, slots=True)
class Targets:
    """Exit levels fixed at entry, dollars per structure (both positive), and the cost of
    the bid/ask at entry (mid value less natural value) that the stop does not count."""

    take_profit_each: Decimal
    stop_loss_each: Decimal
    spread_each: Decimal = Decimal(0)

    @property
    def reward_risk(self) -> Decimal:
        """Take profit over stop distance (0 without a stop)."""
        if self.stop_loss_each <= 0:
            return Decimal(0)
        return self.take_profit_each / self.stop_loss_each


def option_targets(
    entry_signed: Decimal,
    max_loss_each: Decimal,
    policy: ExitPolicy,
    max_profit_each: Decimal | None = None,
    spread_each: Decimal = Decimal(0),
) -> Targets:
    """Targets of an option structure opened at signed net `entry_signed` per unit with
    `max_loss_each` at risk; `max_profit_each` None marks a long-volatility structure."""
    stop = max_loss_each * policy.stop_loss
    spread = max(spread_each, Decimal(0))
    if max_profit_each is None:
        take = stop * policy.long_vol_reward
    else:
        take = max_profit_each * policy.take_profit
        if entry_signed > 0:
            premium = cash_value(entry_signed, 1, OPTION_MULTIPLIER)
            stop = min(stop, premium * policy.credit_stop_multiple)
    return Targets(take.quantize(CENT), stop.quantize(CENT), spread.quantize(CENT))


def refusal(targets: Targets, policy: ExitPolicy) -> str | None:
    """Why a structure with these targets is not worth opening, or None."""
    if targets.stop_loss_each <= 0 or targets.reward_risk < policy.min_reward_risk:
        return "reward_risk_below_floor"
    if targets.spread_each > targets.stop_loss_each * policy.max_spread_of_stop:
        return "spread_too_wide_for_stop"
    return None


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
    sessions_to_expiry: int | None,
    policy: ExitPolicy,
) -> ExitReason | None:
    """The exit that fires now for a structure marked at `marked_pnl` dollars each (mid)
    and closable for `realisable_pnl` (natural price), with `sessions_to_expiry` trading
    sessions after today until its nearest expiry (None for shares), or None to hold."""
    if sessions_to_expiry is not None and sessions_to_expiry <= policy.min_dte:
        return ExitReason.DAYS_TO_EXPIRY
    if targets.stop_loss_each > 0 and marked_pnl + targets.spread_each <= -targets.stop_loss_each:
        return ExitReason.STOP_LOSS
    if targets.take_profit_each > 0 and realisable_pnl >= targets.take_profit_each:
        return ExitReason.TAKE_PROFIT
    if now_ms - opened_at_ms >= policy.max_hold_ms:
        return ExitReason.TIME
    return None
