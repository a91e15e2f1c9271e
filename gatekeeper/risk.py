"""Risk checks: small pure functions run in a fixed order, each a Rejection or None.

`evaluate` runs, in order:

1. staleness (both directions) — `created_at` within `staleness_ms` of the gate's clock;
2. the trading-state gate — HALTED refuses everything; a close must match a held position
   (`is_reducing`) in every state; REDUCING refuses every opening proposal;
3. for a close: only the market-open check. No entry-side limit ever blocks a close;
4. for an open, structural checks (symbol, strategy, quantity, notional, days to expiry)
   then state checks (market open, daily loss, open structures in total, per symbol and per
   correlation group).

Rate limits and the concurrent-safe versions of the open-structure limits are enforced by
the store's transaction afterwards; these checks are the cheap, explainable first pass.
Every input comes from `RiskInputs`, which the engine fills from Tradier and the gate's
own store — never from the proposal's `context`.

Notional (dollars at risk for one proposal; multipliers only through `cash_value`):
- equity: limit price (or the underlying's last for market) x shares;
- long single option: premium (limit price, else the leg's mid) x 100 x quantity;
- short single option: put strike, or the underlying's last for a call, x 100 x quantity;
- vertical, iron condor, iron butterfly: max loss = widest wing x 100 x quantity, less the
  credit when the order is a priced credit, or the debit when it is a priced debit;
- calendar: the debit when priced, else the long leg's mid, x 100 x quantity;
- ratio spread: the paired part's full width (width x smaller ratio) plus any debit, plus
  each extra short contract as a short single option and each extra long one at its mid.
A needed quote that is missing rejects with QUOTE_UNAVAILABLE: no guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

import msgspec

from gatekeeper.constitution import Constitution
from gatekeeper.contract import (
    EquitySide,
    Intent,
    Leg,
    OrderType,
    Proposal,
    ReasonCode,
    Strategy,
    TradingState,
)
from tradier.clock import to_new_york
from tradier.money import OPTION_MULTIPLIER, cash_value
from tradier.occ import OptionType


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a proposal is refused: a reason code and a message for the caller."""

    code: ReasonCode
    message: str


class Holding(msgspec.Struct, frozen=True):
    """A held position: an equity ticker or OCC symbol, signed quantity (< 0 is short)."""

    symbol: str
    quantity: int


@dataclass(frozen=True, slots=True)
class RiskInputs:
    """What the gate knows when it decides, fetched by the gate itself."""

    now_ms: int
    market_open: bool
    equity: Decimal
    start_of_day_equity: Decimal | None
    positions: tuple[Holding, ...] = ()
    open_structures_total: int = 0
    open_structures_by_symbol: Mapping[str, int] = field(default_factory=dict)
    underlying_last: Decimal | None = None
    leg_mids: Mapping[str, Decimal] = field(default_factory=dict)


Check = Callable[[Proposal, RiskInputs, Constitution], Rejection | None]


def check_staleness(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """STALE_PROPOSAL / FUTURE_PROPOSAL when created_at is too far from the gate's clock."""
    age = inputs.now_ms - p.created_at
    if age > c.staleness_ms:
        return Rejection(ReasonCode.STALE_PROPOSAL, f"created {age} ms ago (> {c.staleness_ms})")
    if -age > c.staleness_ms:
        return Rejection(
            ReasonCode.FUTURE_PROPOSAL, f"created {-age} ms in the future (> {c.staleness_ms})"
        )
    return None


def is_reducing(p: Proposal, positions: tuple[Holding, ...] | list[Holding]) -> bool:
    """True when `p` closes held positions: every leg (or the shares) is held with the
    opposite sign and at least the quantity the order would close."""
    if p.intent is not Intent.CLOSE:
        return False
    held: dict[str, int] = {}
    for holding in positions:
        held[holding.symbol] = held.get(holding.symbol, 0) + holding.quantity
    if p.strategy is Strategy.EQUITY:
        have = held.get(p.symbol, 0)
        return have >= p.quantity if p.side is EquitySide.SELL else -have >= p.quantity
    return all(_leg_closes(leg, p.quantity, held) for leg in p.legs or ())


def _leg_closes(leg: Leg, quantity: int, held: Mapping[str, int]) -> bool:
    have = held.get(leg.option_symbol, 0)
    need = quantity * leg.ratio
    # sell_to_close closes a long (held > 0); buy_to_close closes a short (held < 0).
    return have >= need if leg.is_long else -have >= need


def check_trading_state(p: Proposal, inputs: RiskInputs, state: TradingState) -> Rejection | None:
    """HALTED refuses all; a close must match a held position; REDUCING refuses opens."""
    if state is TradingState.HALTED:
        return Rejection(ReasonCode.STATE_HALTED, "trading is halted")
    if p.intent is Intent.CLOSE:
        if not is_reducing(p, inputs.positions):
            return Rejection(ReasonCode.NO_MATCHING_POSITION, "a close must match a held position")
        return None
    if state is TradingState.REDUCING:
        return Rejection(ReasonCode.STATE_REDUCING, "trading is reducing: only closes allowed")
    return None


def check_symbol(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """SYMBOL_NOT_ALLOWED outside the constitution's universe."""
    if p.symbol not in c.symbols:
        return Rejection(ReasonCode.SYMBOL_NOT_ALLOWED, f"{p.symbol} is not an allowed symbol")
    return None


def check_strategy(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """STRATEGY_NOT_ALLOWED for a strategy the constitution leaves out."""
    if p.strategy not in c.strategies:
        return Rejection(ReasonCode.STRATEGY_NOT_ALLOWED, f"{p.strategy} is not allowed")
    return None


def check_quantity(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """QUANTITY_LIMIT: shares, or contracts (structures x the largest leg ratio)."""
    if p.strategy is Strategy.EQUITY:
        if p.quantity > c.max_shares_per_proposal:
            return Rejection(
                ReasonCode.QUANTITY_LIMIT,
                f"{p.quantity} shares > {c.max_shares_per_proposal}",
            )
        return None
    contracts = p.quantity * max(leg.ratio for leg in p.legs or ())
    if contracts > c.max_contracts_per_proposal:
        return Rejection(
            ReasonCode.QUANTITY_LIMIT, f"{contracts} contracts > {c.max_contracts_per_proposal}"
        )
    return None


def check_notional(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """NOTIONAL_LIMIT above max_notional; QUOTE_UNAVAILABLE when it cannot be computed."""
    value = notional(p, inputs)
    if value is None:
        return Rejection(ReasonCode.QUOTE_UNAVAILABLE, "a quote needed for the notional is missing")
    if value > c.max_notional:
        return Rejection(ReasonCode.NOTIONAL_LIMIT, f"notional {value} > {c.max_notional}")
    return None


def check_days_to_expiry(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """DTE_OUT_OF_RANGE when a leg expires outside [min, max] days from today in New York."""
    today = to_new_york(inputs.now_ms).date()
    for leg in p.legs or ():
        days = (leg.occ.expiration - today).days
        if not c.min_days_to_expiry <= days <= c.max_days_to_expiry:
            return Rejection(
                ReasonCode.DTE_OUT_OF_RANGE,
                f"{leg.option_symbol} expires in {days} days; allowed "
                f"{c.min_days_to_expiry}-{c.max_days_to_expiry}",
            )
    return None


def check_market_open(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """MARKET_CLOSED outside the regular session (from Tradier's clock)."""
    if not inputs.market_open:
        return Rejection(ReasonCode.MARKET_CLOSED, "the market is closed")
    return None


def daily_loss_breached(inputs: RiskInputs, c: Constitution) -> bool:
    """True when equity is down at least daily_loss_percent from the start-of-day baseline.
    Without a baseline (not yet recorded today) there is nothing to compare: False."""
    start = inputs.start_of_day_equity
    if start is None or start <= 0:
        return False
    return (start - inputs.equity) * 100 >= start * c.daily_loss_percent


def check_daily_loss(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """DAILY_LOSS_LIMIT once the day's loss reaches the limit."""
    if daily_loss_breached(inputs, c):
        return Rejection(
            ReasonCode.DAILY_LOSS_LIMIT,
            f"equity {inputs.equity} is down {c.daily_loss_percent}% or more from "
            f"{inputs.start_of_day_equity}",
        )
    return None


def check_open_structures(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """OPEN_STRUCTURES_LIMIT when one more structure would exceed the total."""
    if inputs.open_structures_total >= c.max_open_structures:
        return Rejection(
            ReasonCode.OPEN_STRUCTURES_LIMIT,
            f"{inputs.open_structures_total} open structures; limit {c.max_open_structures}",
        )
    return None


def check_symbol_concentration(
    p: Proposal, inputs: RiskInputs, c: Constitution
) -> Rejection | None:
    """SYMBOL_CONCENTRATION when the symbol already holds its maximum of structures."""
    held = inputs.open_structures_by_symbol.get(p.symbol, 0)
    if held >= c.max_open_structures_per_symbol:
        return Rejection(
            ReasonCode.SYMBOL_CONCENTRATION,
            f"{held} open structures on {p.symbol}; limit {c.max_open_structures_per_symbol}",
        )
    return None


def check_correlation_groups(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """CORRELATION_GROUP_LIMIT when a group holding the symbol is full."""
    for group in c.groups_for(p.symbol):
        held = sum(inputs.open_structures_by_symbol.get(s, 0) for s in group.symbols)
        if held >= group.max_open_structures:
            return Rejection(
                ReasonCode.CORRELATION_GROUP_LIMIT,
                f"{held} open structures in {group.name}; limit {group.max_open_structures}",
            )
    return None


STRUCTURAL_CHECKS: Final[tuple[Check, ...]] = (
    check_symbol,
    check_strategy,
    check_quantity,
    check_notional,
    check_days_to_expiry,
)
STATE_CHECKS: Final[tuple[Check, ...]] = (
    check_market_open,
    check_daily_loss,
    check_open_structures,
    check_symbol_concentration,
    check_correlation_groups,
)
ENTRY_CHECKS: Final = STRUCTURAL_CHECKS + STATE_CHECKS
CLOSE_CHECKS: Final[tuple[Check, ...]] = (check_market_open,)


def evaluate(
    p: Proposal, inputs: RiskInputs, c: Constitution, state: TradingState
) -> Rejection | None:
    """Run every check in order and return the first rejection, or None to approve."""
    stale = check_staleness(p, inputs, c)
    if stale is not None:
        return stale
    gated = check_trading_state(p, inputs, state)
    if gated is not None:
        return gated
    for check in CLOSE_CHECKS if p.intent is Intent.CLOSE else ENTRY_CHECKS:
        rejection = check(p, inputs, c)
        if rejection is not None:
            return rejection
    return None


# --- notional ------------------------------------------------------------------------------


def _options(units: Decimal, quantity: int) -> Decimal:
    return cash_value(units, quantity, OPTION_MULTIPLIER)


def notional(p: Proposal, inputs: RiskInputs) -> Decimal | None:
    """Dollars at risk for the whole proposal (see the module docstring), None when a
    needed quote is missing."""
    price = p.price_decimal
    if p.strategy is Strategy.EQUITY:
        unit = price if price is not None else inputs.underlying_last
        return None if unit is None else cash_value(unit, p.quantity, 1)
    legs = p.legs or ()
    if p.strategy is Strategy.SINGLE_OPTION:
        return _single(legs[0], price, p.quantity, inputs)
    if p.strategy is Strategy.CALENDAR_SPREAD:
        if price is not None and p.order_type is OrderType.DEBIT:
            return _options(price, p.quantity)
        long_leg = next(leg for leg in legs if leg.is_long)
        mid = inputs.leg_mids.get(long_leg.option_symbol)
        return None if mid is None else _options(mid, p.quantity)
    if p.strategy is Strategy.RATIO_SPREAD:
        return _ratio(legs, p, inputs)
    # vertical, iron condor, iron butterfly: defined risk, the widest wing bounds the loss.
    return _defined_risk(_widest_wing(legs), p)


def _single(leg: Leg, price: Decimal | None, quantity: int, inputs: RiskInputs) -> Decimal | None:
    if leg.is_long:
        premium = price if price is not None else inputs.leg_mids.get(leg.option_symbol)
        return None if premium is None else _options(premium, quantity)
    return _naked_short(leg, quantity, inputs)


def _naked_short(leg: Leg, contracts: int, inputs: RiskInputs) -> Decimal | None:
    occ = leg.occ
    if occ.option_type is OptionType.PUT:
        return _options(occ.strike, contracts)
    last = inputs.underlying_last
    return None if last is None else _options(last, contracts)


def _widest_wing(legs: tuple[Leg, ...]) -> Decimal:
    widths = []
    for option_type in (OptionType.PUT, OptionType.CALL):
        strikes = [leg.occ.strike for leg in legs if leg.occ.option_type is option_type]
        if len(strikes) == 2:
            widths.append(abs(strikes[0] - strikes[1]))
    return max(widths)


def _defined_risk(width: Decimal, p: Proposal) -> Decimal:
    price = p.price_decimal
    if price is not None and p.order_type is OrderType.DEBIT:
        return _options(price, p.quantity)
    if price is not None and p.order_type is OrderType.CREDIT:
        return _options(max(width - price, Decimal(0)), p.quantity)
    return _options(width, p.quantity)


def _ratio(legs: tuple[Leg, ...], p: Proposal, inputs: RiskInputs) -> Decimal | None:
    long_leg = next(leg for leg in legs if leg.is_long)
    short_leg = next(leg for leg in legs if not leg.is_long)
    paired = min(long_leg.ratio, short_leg.ratio)
    width = abs(long_leg.occ.strike - short_leg.occ.strike)
    # Conservative: the paired vertical's full width plus any debit paid; a credit is not
    # netted off because the naked remainder can lose more than it brings in.
    total = _options(width * paired, p.quantity)
    price = p.price_decimal
    if price is not None and p.order_type is OrderType.DEBIT:
        total += _options(price, p.quantity)
    extra_short = short_leg.ratio - paired
    extra_long = long_leg.ratio - paired
    if extra_short:
        naked = _naked_short(short_leg, extra_short * p.quantity, inputs)
        if naked is None:
            return None
        total += naked
    if extra_long:
        mid = inputs.leg_mids.get(long_leg.option_symbol)
        if mid is None:
            return None
        total += _options(mid, extra_long * p.quantity)
    return total
