"""Put ratio backspread: sell one put nearer the money, buy two further out, for a market
breaking down with volatility expanding.

When: the regime is high-volatility expansion, the fast EMA is below the slow one and the
price is below VWAP (the expansion is to the downside). What: 30-60 days out (target 45),
the short put nearest 0.40 delta and two long puts nearest 0.20 delta; opened for a credit
or a debit of at most `max_debit`. The maximum loss sits at the long strike at expiry:
the width between the strikes minus the credit (plus the debit).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from brain.legs import Side, by_delta, natural_price, strike_width
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.sizing import ratio_spread_max_loss
from brain.strategies import base
from brain.strategies.base import ChainView, DteWindow, OptionPlan, OptionStrategy
from gatekeeper.contract import Strategy
from tradier.money import NetKind
from tradier.occ import OptionType


@dataclass(slots=True)
class PutRatioBackspread(OptionStrategy):
    """1 short put near 0.40 delta against 2 long puts near 0.20 delta."""

    name: str = "put_ratio_backspread"
    windows: tuple[DteWindow, ...] = (DteWindow(30, 60, 45),)
    short_delta: float = 0.40
    long_delta: float = 0.20
    max_debit: Decimal = Decimal("1.00")

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """Expansion regime with the price falling below VWAP and the EMAs."""
        if not base.in_regime(state, Regime.HIGH_VOL_EXPANSION):
            return None
        fast, slow, vwap = state.ema_fast.value, state.ema_slow.value, state.vwap.value
        if fast is None or slow is None or vwap is None:
            return None
        if fast < slow and bar.close < vwap:
            return "put_ratio_backspread"
        return None

    def plan(self, signal: Signal, view: ChainView) -> OptionPlan | None:
        """Sell 1 put near `short_delta`, buy 2 near `long_delta`, same expiration."""
        expiration = base.expiration_of(view)
        if expiration is None:
            return None
        short = by_delta(view.contracts, OptionType.PUT, self.short_delta, expiration=expiration)
        long = by_delta(view.contracts, OptionType.PUT, self.long_delta, expiration=expiration)
        if short is None or long is None or long.strike >= short.strike or short.bid <= 0:
            return None
        legs = base.legs_of((short, Side.SELL, 1), (long, Side.BUY, 2))
        net = natural_price(legs)
        if net.kind is NetKind.DEBIT and net.price > self.max_debit:
            return None
        max_loss = ratio_spread_max_loss(strike_width(short, long), net.price, net.kind)
        return base.option_plan(signal, view, Strategy.RATIO_SPREAD, legs, net, max_loss)
