"""Calendar spread: sell a near-dated at-the-money call, buy the same strike further out,
when the market is compressed and options are cheap.

When: the regime is compressed (narrow Bollinger bands against their own history) and, if
the IV rank is known, it is low (long vega is bought cheap). What: the strike nearest the
price listed in both expirations, the near one 7-21 days out (target 14), the far one
35-60 days out (target 45); a debit, whose amount is the maximum loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from brain.legs import Side, at_the_money, by_strike, natural_price
from brain.market import Bar, Regime, Signal, SignalKind, SymbolState
from brain.sizing import debit_max_loss
from brain.strategies import base
from brain.strategies.base import ChainView, DteWindow, OptionPlan, OptionStrategy
from gatekeeper.contract import Strategy
from tradier.money import NetKind
from tradier.occ import OptionType


@dataclass(slots=True)
class CalendarSpread(OptionStrategy):
    """Short near-dated, long far-dated, same at-the-money call strike."""

    name: str = "calendar"
    windows: tuple[DteWindow, ...] = (DteWindow(7, 21, 14), DteWindow(35, 60, 45))
    iv_rank_max: float = 0.30
    max_debit_ratio: Decimal = Decimal("0.05")

    def conditions(self, state: SymbolState, bar: Bar) -> SignalKind | None:
        """Compressed regime and, when known, a low IV rank."""
        if not base.in_regime(state, Regime.COMPRESSED):
            return None
        rank = state.iv_rank.value
        if rank is not None and rank > self.iv_rank_max:
            return None
        return "calendar"

    def plan(self, signal: Signal, view: ChainView) -> OptionPlan | None:
        """The strike nearest the price listed in both expirations; natural debit."""
        near, far = base.expiration_of(view, 0), base.expiration_of(view, 1)
        if near is None or far is None or near >= far:
            return None
        # The far expiration may list a coarser strike grid: anchor on it.
        long = at_the_money(view.contracts, OptionType.CALL, view.underlying_price, far)
        if long is None:
            return None
        short = by_strike(view.contracts, OptionType.CALL, long.strike, near)
        if short is None or short.bid <= 0:
            return None
        legs = base.legs_of((short, Side.SELL), (long, Side.BUY))
        net = natural_price(legs)
        if net.kind is not NetKind.DEBIT:
            return None
        if net.price > view.underlying_price * self.max_debit_ratio:
            return None
        max_loss = debit_max_loss(net.price)
        return base.option_plan(signal, view, Strategy.CALENDAR_SPREAD, legs, net, max_loss)
