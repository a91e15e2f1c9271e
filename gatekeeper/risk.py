"""Risk checks: small pure functions run in a fixed order, each a Rejection or None.

`evaluate` runs, in order:

1. staleness (both directions) — `created_at` within `staleness_ms` of the gate's clock;
2. the trading-state gate — HALTED refuses everything; in every state a close must really
   close (`gatekeeper.closes`: every leg moves the position, net of the orders working at
   the broker, toward zero without crossing it, and what it leaves would pass as an
   opening); REDUCING refuses every opening proposal;
3. for a close: only the market-open check. No entry-side limit ever blocks a close that
   only shrinks the risk (step 2 refuses only a close that adds naked shorts or loss);
4. for an open, structural checks (symbol, strategy, quantity, quotes, tradable — no
   shares of an index — order type, price range, naked shorts, notional, days to expiry)
   then state checks (market open, daily loss, open structures in total, per symbol and
   per correlation group).

Rate limits and the concurrent-safe versions of the open-structure limits are enforced by
the store's transaction afterwards; these checks are the cheap, explainable first pass.
Every input comes from `RiskInputs`, which the engine fills from Tradier and the gate's
own store — never from the proposal's `context`.

What an opening order does is judged from its legs and the gate's own quotes, never from
what it declares (`gatekeeper.notional`, over `gatekeeper.exposure`): the declared order
type must match the structure's net at market (ORDER_TYPE_MISMATCH), a limit must be a
price the structure can be worth (PRICE_OUT_OF_RANGE), an uncovered short option needs the
constitution's `allow_naked_shorts` (NAKED_SHORT), and notional is the maximum loss from
the legs after the premium the market gives, bounded by the limit only where that is
worse (NOTIONAL_LIMIT). A needed quote that is missing rejects with QUOTE_UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Protocol

import msgspec

from gatekeeper.account import AccountView, account_view
from gatekeeper.closes import close_refusal
from gatekeeper.constitution import Constitution
from gatekeeper.contract import (
    Intent,
    Proposal,
    ReasonCode,
    Strategy,
    TradingState,
)
from gatekeeper.errors import BrokerUnavailable
from gatekeeper.exposure import uncovered_shorts
from gatekeeper.notional import (
    QuoteLike,
    missing_quotes,
    notional,
    order_type_mismatch,
    price_out_of_range,
    structure_legs,
)
from tradier.clock import to_new_york


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a proposal is refused: a reason code and a message for the caller."""

    code: ReasonCode
    message: str


class Held(Protocol):
    """A held position as the checks read it (`tradier.models.Position` fits)."""

    @property
    def symbol(self) -> str:
        """Equity ticker or OCC option symbol."""
        ...

    @property
    def quantity(self) -> int:
        """Signed quantity: < 0 is short."""
        ...


class Holding(msgspec.Struct, frozen=True):
    """A held position: an equity ticker or OCC symbol, signed quantity (< 0 is short)."""

    symbol: str
    quantity: int


@dataclass(frozen=True, slots=True)
class RiskInputs:
    """What the gate knows when it decides, fetched by the gate itself (never `context`).

    `open_structures_by_group` is the store's per-group counter; when None, a group's count
    is summed from `open_structures_by_symbol`. `quotes` maps the underlying and each
    leg's option symbol to its quote. `account` adds the working orders to the positions;
    when None, a close is judged on `positions` alone (nothing working).
    """

    now_ms: int
    market_open: bool
    equity: Decimal
    start_of_day_equity: Decimal | None
    positions: Sequence[Held] = ()
    open_structures_total: int = 0
    open_structures_by_symbol: Mapping[str, int] = field(default_factory=dict)
    open_structures_by_group: Mapping[str, int] | None = None
    quotes: Mapping[str, QuoteLike] = field(default_factory=dict)
    account: AccountView | None = None


class _ClockLike(Protocol):
    @property
    def is_open(self) -> bool: ...


class _BalancesLike(Protocol):
    @property
    def total_equity(self) -> Decimal | None: ...


class _QuoteLike(QuoteLike, Protocol):
    @property
    def symbol(self) -> str: ...


def inputs_from_broker(
    proposal: Proposal,
    *,
    now_ms: int,
    clock: _ClockLike,
    balances: _BalancesLike,
    positions: Sequence[Held],
    start_of_day_equity: Decimal | None,
    open_structures_total: int,
    open_structures_by_symbol: Mapping[str, int],
    open_structures_by_group: Mapping[str, int] | None = None,
    quotes: Sequence[_QuoteLike] = (),
    account: AccountView | None = None,
) -> RiskInputs:
    """RiskInputs from Tradier's models (MarketClock, Balances, Position, Quote) and the
    store's counters. Raises BrokerUnavailable when the balances carry no equity."""
    if balances.total_equity is None:
        raise BrokerUnavailable("balances have no total_equity; cannot check daily loss")
    return RiskInputs(
        now_ms=now_ms,
        market_open=clock.is_open,
        equity=balances.total_equity,
        start_of_day_equity=start_of_day_equity,
        positions=tuple(positions),
        open_structures_total=open_structures_total,
        open_structures_by_symbol=dict(open_structures_by_symbol),
        open_structures_by_group=(
            None if open_structures_by_group is None else dict(open_structures_by_group)
        ),
        quotes={q.symbol: q for q in quotes},
        account=account,
    )


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


def is_reducing(p: Proposal, positions: Sequence[Held]) -> bool:
    """True when `p` closes held positions with nothing working: every leg (or the shares)
    is held with the opposite sign and at least the quantity the order would close."""
    if p.intent is not Intent.CLOSE:
        return False
    return close_refusal(p, account_view(positions)) is None


def check_trading_state(
    p: Proposal, inputs: RiskInputs, state: TradingState, c: Constitution | None = None
) -> Rejection | None:
    """HALTED refuses all; a close must really close (`gatekeeper.closes`, what it leaves
    judged against `c`); REDUCING refuses opens."""
    if state is TradingState.HALTED:
        return Rejection(ReasonCode.STATE_HALTED, "trading is halted")
    if p.intent is Intent.CLOSE:
        view = inputs.account if inputs.account is not None else account_view(inputs.positions)
        refused = close_refusal(p, view, c)
        return None if refused is None else Rejection(refused.code, refused.message)
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


def check_quotes(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """QUOTE_UNAVAILABLE when a quote the other checks price from is missing."""
    missing = missing_quotes(p, inputs.quotes)
    if missing:
        return Rejection(ReasonCode.QUOTE_UNAVAILABLE, f"no usable quote for {', '.join(missing)}")
    return None


def check_tradable(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """NOT_TRADABLE for shares of an index: SPX quotes, but only its options trade."""
    quote = inputs.quotes.get(p.symbol)
    if p.strategy is Strategy.EQUITY and quote is not None and quote.type == "index":
        return Rejection(
            ReasonCode.NOT_TRADABLE,
            f"{p.symbol} is an index: it has no shares to trade, only options",
        )
    return None


def check_order_type(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """ORDER_TYPE_MISMATCH when the declared credit/debit/even contradicts the market."""
    why = order_type_mismatch(p, inputs.quotes)
    return None if why is None else Rejection(ReasonCode.ORDER_TYPE_MISMATCH, why)


def check_price_range(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """PRICE_OUT_OF_RANGE for a limit the structure can never be worth."""
    why = price_out_of_range(p)
    return None if why is None else Rejection(ReasonCode.PRICE_OUT_OF_RANGE, why)


def check_naked(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """NAKED_SHORT for a short option no long covers, unless the constitution allows it."""
    if c.allow_naked_shorts or not p.is_option:
        return None
    naked = uncovered_shorts(structure_legs(p))
    if naked:
        names = ", ".join(f"{-leg.quantity} x {leg.symbol}" for leg in naked)
        return Rejection(
            ReasonCode.NAKED_SHORT,
            f"uncovered short per structure: {names} (no long of its type expiring on or "
            "after it); allow_naked_shorts is false",
        )
    return None


def check_notional(p: Proposal, inputs: RiskInputs, c: Constitution) -> Rejection | None:
    """NOTIONAL_LIMIT above max_notional; QUOTE_UNAVAILABLE when it cannot be computed."""
    value = notional(p, inputs.quotes)
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
    by_group = inputs.open_structures_by_group
    for group in c.groups_for(p.symbol):
        if by_group is not None:
            held = by_group.get(group.name, 0)
        else:
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
    check_quotes,
    check_tradable,
    check_order_type,
    check_price_range,
    check_naked,
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
    gated = check_trading_state(p, inputs, state, c)
    if gated is not None:
        return gated
    for check in CLOSE_CHECKS if p.intent is Intent.CLOSE else ENTRY_CHECKS:
        rejection = check(p, inputs, c)
        if rejection is not None:
            return rejection
    return None
