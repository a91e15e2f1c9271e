"""Iron condor: sell an out-of-the-money put spread and call spread in quiet, range-bound
markets.

When: the regime is low-volatility chop, ADX is low (no trend building), RSI sits near
the middle and the price is inside the Bollinger bands. What: short put and short call
nearest 0.16 delta, 30-45 days out, each protected by a wing a fixed width further out;
the credit must be at least `min_credit_ratio` of the wider wing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from brain.legs import Side, by_delta, natural_price, strike_width, wing
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.sizing import spread_max_loss
from brain.strategies.base import (
    ChainView,
    DteWindow,
    OptionPlan,
    OptionStrategy,
    in_regime,
    legs_of,
)
from gatekeeper.contract import Strategy
from tradier.money import NetKind
from tradier.occ import OptionType


@dataclass(slots=True)
class IronCondor(OptionStrategy):
    """Short strangle with protective wings, in low-volatility chop."""

    name: str = "iron_condor"
    windows: tuple[DteWindow, ...] = (DteWindow(25, 50, 35),)
    short_delta: float = 0.16
    width: Decimal = Decimal(5)
    min_credit_ratio: Decimal = Decimal("0.10")
    adx_max: float = 20.0
    rsi_band: tuple[float, float] = (40.0, 60.0)

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """Chop regime, weak ADX, RSI mid-range, price inside the bands."""
        if not in_regime(state, Regime.LOW_VOL_CHOP):
            return None
        adx, rsi, upper, lower = state.adx.value, state.rsi.value, state.bb.upper, state.bb.lower
        if adx is None or rsi is None or upper is None or lower is None:
            return None
        low, high = self.rsi_band
        if adx < self.adx_max and low <= rsi <= high and lower < bar.close < upper:
            return "iron_condor"
        return None

    def plan(self, signal: Signal, view: ChainView) -> OptionPlan | None:
        """Short put/call near the target delta, wings `width` beyond, natural credit."""
        expiration = view.expirations[0] if view.expirations else None
        if expiration is None:
            return None
        short_put = by_delta(
            view.contracts, OptionType.PUT, self.short_delta, expiration=expiration
        )
        short_call = by_delta(
            view.contracts, OptionType.CALL, self.short_delta, expiration=expiration
        )
        if short_put is None or short_call is None or short_put.strike >= short_call.strike:
            return None
        long_put = wing(view.contracts, short_put, self.width)
        long_call = wing(view.contracts, short_call, self.width)
        if long_put is None or long_call is None:
            return None
        legs = legs_of(
            (long_put, Side.BUY),
            (short_put, Side.SELL),
            (short_call, Side.SELL),
            (long_call, Side.BUY),
        )
        net = natural_price(legs)
        width = max(strike_width(short_put, long_put), strike_width(short_call, long_call))
        if net.kind is not NetKind.CREDIT or net.price < width * self.min_credit_ratio:
            return None
        return OptionPlan(
            symbol=view.symbol,
            strategy=Strategy.IRON_CONDOR,
            kind=signal.kind,
            legs=legs,
            net=net,
            max_loss_each=spread_max_loss(width, net.price, net.kind),
        )
