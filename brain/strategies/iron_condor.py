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

from brain.legs import by_delta
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.strategies import base
from brain.strategies.base import ChainView, DteWindow, OptionPlan, OptionStrategy
from gatekeeper.contract import Strategy
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
        if not base.in_regime(state, Regime.LOW_VOL_CHOP):
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
        expiration = base.expiration_of(view)
        if expiration is None:
            return None
        contracts = view.contracts
        short_put = by_delta(contracts, OptionType.PUT, self.short_delta, expiration=expiration)
        short_call = by_delta(contracts, OptionType.CALL, self.short_delta, expiration=expiration)
        if short_put is None or short_call is None or short_put.strike >= short_call.strike:
            return None
        legs = base.iron_legs(contracts, short_put, short_call, self.width)
        if legs is None:
            return None
        return base.credit_plan(signal, view, Strategy.IRON_CONDOR, legs, self.min_credit_ratio)
