"""What every built-in strategy shares: gating helpers, the chain view, trade plans.

A strategy has two halves, both pure:
- `on_bar(state, bar) -> list[Signal]` (the `brain.market.Strategy` protocol) decides
  *when*, from bars, quotes, indicators and the regime. It is edge-triggered: it signals
  when its conditions become true, then waits `cooldown_bars` before signalling again.
- `plan(signal, view) -> TradePlan | None` decides *what*: legs chosen from the chain by
  delta and days to expiry (`brain.legs`), priced at the natural price. The runtime
  fetches the chain for the strategy's `windows` (away from the feed) and calls it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import ClassVar

from brain.exits import Targets
from brain.legs import Contract, NetPrice, Side, StructureLeg, natural_price, wing
from brain.market import Bar, Regime, Session, Signal, SignalKind, SymbolState
from brain.sizing import spread_max_loss
from gatekeeper.contract import EquitySide, Strategy
from tradier.money import CENT, OPTION_MULTIPLIER, NetKind, cash_value, to_decimal


@dataclass(frozen=True, slots=True)
class DteWindow:
    """Acceptable days to expiry and the preferred number."""

    min_dte: int
    max_dte: int
    target_dte: int

    def __post_init__(self) -> None:
        if not 0 <= self.min_dte <= self.target_dte <= self.max_dte:
            raise ValueError("DteWindow: need 0 <= min_dte <= target_dte <= max_dte")


@dataclass(frozen=True, slots=True)
class ChainView:
    """The chain rows of the expirations a strategy asked for, and the context."""

    symbol: str
    underlying_price: Decimal
    today: date
    expirations: tuple[date | None, ...]  # one per requested window (None: none listed)
    contracts: tuple[Contract, ...]


@dataclass(frozen=True, slots=True)
class OptionPlan:
    """A priced option structure for one unit; quantity comes from sizing."""

    symbol: str
    strategy: Strategy
    kind: str
    legs: tuple[StructureLeg, ...]
    net: NetPrice
    max_loss_each: Decimal
    multiplier: int = OPTION_MULTIPLIER
    # dollars the structure makes at best; None for long-volatility structures, whose
    # profit depends on the size of a move (their targets come from the risk instead)
    max_profit_each: Decimal | None = None

    @property
    def nearest_expiry(self) -> date:
        """The first expiration among the legs."""
        return min(leg.contract.expiration for leg in self.legs)


@dataclass(frozen=True, slots=True)
class EquityPlan:
    """A share order at a limit price with a protective stop and a profit target."""

    symbol: str
    kind: str
    side: EquitySide
    price: Decimal
    stop: Decimal
    reward_multiple: Decimal = Decimal(2)

    @property
    def strategy(self) -> Strategy:
        """Always equity."""
        return Strategy.EQUITY


TradePlan = OptionPlan | EquityPlan


@dataclass(frozen=True, slots=True)
class PlannedTrade:
    """A plan plus the exit targets fixed at entry."""

    plan: TradePlan
    targets: Targets


def ready(state: SymbolState, bar: Bar, *, max_gap: int = 2) -> bool:
    """Common preconditions: a regular-session bar after a small gap, with a two-sided
    quote and the regime established."""
    return (
        bar.session is Session.REGULAR
        and bar.gap_before <= max_gap
        and state.regime.initialized
        and state.mid is not None
    )


def price_of(state: SymbolState, bar: Bar) -> Decimal:
    """The underlying's reference price: the quote's mid, else the bar's close (cents)."""
    mid = state.mid
    value = mid if mid is not None else bar.close
    return to_decimal(value).quantize(CENT)


def param_decimal(params: Mapping[str, object], name: str) -> Decimal | None:
    """A decimal parameter of a signal, None when absent or malformed."""
    raw = params.get(name)
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float, str, Decimal)):
        try:
            return to_decimal(raw)
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class OptionStrategy:
    """Base of the built-in strategies: edge-triggered signals with a cooldown."""

    name: str
    cooldown_bars: int = 30
    windows: tuple[DteWindow, ...] = ()
    _armed: dict[str, bool] = field(default_factory=dict)
    _last_signal_bar: dict[str, int] = field(default_factory=dict)

    needs_chain: ClassVar[bool] = True

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """The kind of trade this bar calls for, or None."""
        raise NotImplementedError

    def plan(self, signal: Signal, view: ChainView) -> TradePlan | None:
        """Legs and price for `signal` from `view`, or None when nothing fits."""
        raise NotImplementedError

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        """Signal once when the conditions turn true; then wait out the cooldown."""
        kind = self.conditions(state, bar) if ready(state, bar) else None
        symbol = state.symbol
        was_active = self._armed.get(symbol)
        self._armed[symbol] = kind is not None
        # The first bar a strategy sees (the open, after a warm-up that runs no strategy)
        # only arms the edge: conditions that already held overnight did not "turn true" at
        # 09:31, and firing then put every such entry into the open's widest spreads.
        if kind is None or was_active is None or was_active:
            return []
        last = self._last_signal_bar.get(symbol)
        if last is not None and bar.start_ms - last < self.cooldown_bars * 60_000:
            return []
        self._last_signal_bar[symbol] = bar.start_ms
        return [
            Signal(
                symbol=symbol,
                strategy=self.name,
                kind=kind,
                created_at_ms=bar.end_ms,
                strength=1.0,
                reason=f"{state.current_regime.value} regime: entry conditions met",
                params={"price": str(price_of(state, bar)), "regime": state.current_regime.value},
            )
        ]

    def reset(self) -> None:
        """Forget edge and cooldown memory (a new day)."""
        self._armed.clear()
        self._last_signal_bar.clear()


def in_regime(state: SymbolState, *regimes: Regime) -> bool:
    """True when the symbol's regime (after hysteresis) is one of `regimes`."""
    return state.current_regime in regimes


def legs_of(*pairs: tuple[Contract, Side] | tuple[Contract, Side, int]) -> tuple[StructureLeg, ...]:
    """StructureLegs from (contract, side[, ratio]) tuples."""
    return tuple(StructureLeg(p[0], p[1], p[2] if len(p) == 3 else 1) for p in pairs)


def expiration_of(view: ChainView, window: int = 0) -> date | None:
    """The expiration chosen for the strategy's `window`-th DteWindow (None: none listed)."""
    return view.expirations[window] if window < len(view.expirations) else None


def widest_wing(legs: tuple[StructureLeg, ...]) -> Decimal:
    """The widest distance between strikes of the same option type (a spread's width)."""
    widths = [Decimal(0)]
    for option_type in {leg.contract.option_type for leg in legs}:
        strikes = [leg.contract.strike for leg in legs if leg.contract.option_type is option_type]
        widths.append(max(strikes) - min(strikes))
    return max(widths)


def iron_legs(
    contracts: tuple[Contract, ...], short_put: Contract, short_call: Contract, width: Decimal
) -> tuple[StructureLeg, ...] | None:
    """Short put and short call, each protected by a wing `width` further out; None when
    a wing is not listed."""
    long_put = wing(contracts, short_put, width)
    long_call = wing(contracts, short_call, width)
    if long_put is None or long_call is None:
        return None
    return legs_of(
        (long_put, Side.BUY),
        (short_put, Side.SELL),
        (short_call, Side.SELL),
        (long_call, Side.BUY),
    )


def option_plan(
    signal: Signal,
    view: ChainView,
    strategy: Strategy,
    legs: tuple[StructureLeg, ...],
    net: NetPrice,
    max_loss_each: Decimal,
    max_profit_each: Decimal | None = None,
) -> OptionPlan:
    """The plan of `legs` priced at `net` for `signal`'s symbol and kind."""
    return OptionPlan(
        symbol=view.symbol,
        strategy=strategy,
        kind=signal.kind,
        legs=legs,
        net=net,
        max_loss_each=max_loss_each,
        max_profit_each=max_profit_each,
    )


def credit_plan(
    signal: Signal,
    view: ChainView,
    strategy: Strategy,
    legs: tuple[StructureLeg, ...],
    min_credit_ratio: Decimal = Decimal(0),
) -> OptionPlan | None:
    """`legs` at their natural price when it is a credit of at least `min_credit_ratio` of
    the widest wing; the maximum loss is that width less the credit."""
    net = natural_price(legs)
    width = widest_wing(legs)
    if net.kind is not NetKind.CREDIT or net.price < width * min_credit_ratio:
        return None
    credit = cash_value(net.price, 1, OPTION_MULTIPLIER)
    return option_plan(
        signal, view, strategy, legs, net, spread_max_loss(width, net.price, net.kind), credit
    )
