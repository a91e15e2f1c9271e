"""Vertical credit spreads: a bull put spread in an up-trend, a bear call spread in a
down-trend.

When: the regime is trending, the fast EMA is on the trend's side of the slow EMA, the
price is on the same side of the session VWAP, and RSI is not stretched the trend's way
(a spread sold into exhaustion is a poor bet). What: the short leg nearest 0.20 delta in
the expiration closest to 35 days out (21-50), the long leg a fixed width further out of
the money; at least `min_credit_ratio` of the width must come in as credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from brain.legs import Side, by_delta, wing
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.strategies import base
from brain.strategies.base import ChainView, DteWindow, OptionPlan, OptionStrategy
from gatekeeper.contract import Strategy
from tradier.occ import OptionType


@dataclass(slots=True)
class CreditSpreads(OptionStrategy):
    """Bull put / bear call verticals, short leg near 0.20 delta, fixed width."""

    name: str = "credit_spread"
    windows: tuple[DteWindow, ...] = (DteWindow(21, 50, 35),)
    short_delta: float = 0.20
    width: Decimal = Decimal(5)
    min_credit_ratio: Decimal = Decimal("0.10")
    rsi_stretched: float = 75.0

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """Trending regime, EMAs and VWAP agree on the direction, RSI not stretched."""
        if not base.in_regime(state, Regime.TRENDING):
            return None
        fast, slow, vwap, rsi = (
            state.ema_fast.value,
            state.ema_slow.value,
            state.vwap.value,
            state.rsi.value,
        )
        if fast is None or slow is None or vwap is None or rsi is None:
            return None
        if fast > slow and bar.close > vwap and rsi < self.rsi_stretched:
            return "bull_put"
        if fast < slow and bar.close < vwap and rsi > 100.0 - self.rsi_stretched:
            return "bear_call"
        return None

    def plan(self, signal: Signal, view: ChainView) -> OptionPlan | None:
        """Short near 0.20 delta, long `width` further out; natural credit."""
        expiration = base.expiration_of(view)
        if expiration is None or signal.kind not in ("bull_put", "bear_call"):
            return None
        option_type = OptionType.PUT if signal.kind == "bull_put" else OptionType.CALL
        short = by_delta(view.contracts, option_type, self.short_delta, expiration=expiration)
        if short is None or short.bid <= 0:
            return None
        long = wing(view.contracts, short, self.width)
        if long is None:
            return None
        legs = base.legs_of((short, Side.SELL), (long, Side.BUY))
        return base.credit_plan(signal, view, Strategy.VERTICAL, legs, self.min_credit_ratio)
