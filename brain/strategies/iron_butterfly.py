"""Iron butterfly: sell the at-the-money straddle with protective wings when the price is
pinned.

When: low-volatility chop (or a compressed market), the price within a fraction of an ATR
of the session VWAP, and RSI near 50 — a market that keeps returning to the same level.
What: short put and short call at the strike nearest the price, 14-35 days out (target
21), long wings a fixed width away; natural credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from brain.legs import at_the_money, by_strike
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.strategies import base
from brain.strategies.base import ChainView, DteWindow, OptionPlan, OptionStrategy
from gatekeeper.contract import Strategy
from tradier.occ import OptionType


@dataclass(slots=True)
class IronButterfly(OptionStrategy):
    """ATM short straddle plus wings, when the price is pinned near VWAP."""

    name: str = "iron_butterfly"
    windows: tuple[DteWindow, ...] = (DteWindow(14, 35, 21),)
    width: Decimal = Decimal(10)
    pin_atr: float = 0.25
    rsi_band: tuple[float, float] = (45.0, 55.0)

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """Quiet regime, price within `pin_atr` ATRs of VWAP, RSI near 50."""
        if not base.in_regime(state, Regime.LOW_VOL_CHOP, Regime.COMPRESSED):
            return None
        vwap, atr, rsi = state.vwap.value, state.atr.value, state.rsi.value
        if vwap is None or atr is None or rsi is None or atr <= 0.0:
            return None
        low, high = self.rsi_band
        if abs(bar.close - vwap) <= self.pin_atr * atr and low <= rsi <= high:
            return "iron_butterfly"
        return None

    def plan(self, signal: Signal, view: ChainView) -> OptionPlan | None:
        """Body at the money, wings `width` out; natural credit."""
        expiration = base.expiration_of(view)
        if expiration is None:
            return None
        contracts = view.contracts
        short_call = at_the_money(contracts, OptionType.CALL, view.underlying_price, expiration)
        if short_call is None:
            return None
        short_put = by_strike(contracts, OptionType.PUT, short_call.strike, expiration)
        if short_put is None:
            return None
        legs = base.iron_legs(contracts, short_put, short_call, self.width)
        if legs is None:
            return None
        return base.credit_plan(signal, view, Strategy.IRON_BUTTERFLY, legs)
