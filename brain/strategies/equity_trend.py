"""Equity trend: buy shares when a trend is confirmed up, sell short when confirmed down.

When: the regime is trending, the fast EMA crossed the slow one on this bar, and the
close is on the same side of the slow SMA and the session VWAP. What: a limit order at the
current ask (buy) or bid (short), a protective stop `stop_atr` ATRs away and a profit
target `reward_multiple` times that distance. Short selling is off by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.strategies.base import (
    ChainView,
    EquityPlan,
    OptionStrategy,
    in_regime,
    param_decimal,
)
from gatekeeper.contract import EquitySide
from tradier.money import CENT, to_decimal


@dataclass(slots=True)
class EquityTrend(OptionStrategy):
    """EMA cross in a trending regime, confirmed by SMA and VWAP; ATR stop."""

    name: str = "equity_trend"
    stop_atr: float = 2.0
    reward_multiple: Decimal = Decimal(2)
    allow_short: bool = False
    _side: dict[str, int] = field(default_factory=dict)

    needs_chain: ClassVar[bool] = False

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """A fresh EMA cross in the trend's direction with SMA and VWAP agreeing."""
        fast, slow = state.ema_fast.value, state.ema_slow.value
        sma, vwap = state.sma_slow.value, state.vwap.value
        if fast is None or slow is None or sma is None or vwap is None:
            return None
        side = 1 if fast > slow else -1
        previous = self._side.get(state.symbol)
        self._side[state.symbol] = side
        if previous is None or previous == side or not in_regime(state, Regime.TRENDING):
            return None
        if side > 0 and bar.close > sma and bar.close > vwap:
            return "long"
        if side < 0 and self.allow_short and bar.close < sma and bar.close < vwap:
            return "short"
        return None

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        """The base's edge trigger, with the stop distance (ATR) in the parameters."""
        signals = OptionStrategy.on_bar(self, state, bar)
        atr = state.atr.value
        if not signals or atr is None or atr <= 0.0 or state.bid is None or state.ask is None:
            return []
        params = dict(signals[0].params)
        params.update(
            {"bid": str(to_decimal(state.bid)), "ask": str(to_decimal(state.ask)), "atr": atr}
        )
        s = signals[0]
        return [Signal(s.symbol, s.strategy, s.kind, s.created_at_ms, s.strength, s.reason, params)]

    def plan(self, signal: Signal, view: ChainView) -> EquityPlan | None:
        """A limit at the ask (long) or bid (short) with an ATR stop."""
        return self.plan_equity(signal)

    def plan_equity(self, signal: Signal) -> EquityPlan | None:
        """The equity plan from the signal's own quote; no chain needed."""
        bid, ask = param_decimal(signal.params, "bid"), param_decimal(signal.params, "ask")
        atr = param_decimal(signal.params, "atr")
        if bid is None or ask is None or atr is None or bid <= 0 or ask < bid:
            return None
        distance = (atr * to_decimal(self.stop_atr)).quantize(CENT)
        if distance <= 0:
            return None
        if signal.kind == "long":
            price = ask.quantize(CENT)
            return EquityPlan(
                signal.symbol, "long", EquitySide.BUY, price, price - distance, self.reward_multiple
            )
        if signal.kind == "short":
            price = bid.quantize(CENT)
            return EquityPlan(
                signal.symbol,
                "short",
                EquitySide.SELL_SHORT,
                price,
                price + distance,
                self.reward_multiple,
            )
        return None

    def reset(self) -> None:
        """Forget crosses and cooldowns."""
        OptionStrategy.reset(self)
        self._side.clear()
