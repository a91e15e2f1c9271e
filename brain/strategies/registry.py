"""The built-in strategies by name, so configuration and replay can pick them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from brain.strategies.backspread import PutRatioBackspread
from brain.strategies.base import OptionStrategy
from brain.strategies.calendar import CalendarSpread
from brain.strategies.credit_spread import CreditSpreads
from brain.strategies.equity_trend import EquityTrend
from brain.strategies.iron_butterfly import IronButterfly
from brain.strategies.iron_condor import IronCondor

BUILT_INS: dict[str, Callable[[], OptionStrategy]] = {
    "credit_spread": CreditSpreads,
    "iron_condor": IronCondor,
    "iron_butterfly": IronButterfly,
    "put_ratio_backspread": PutRatioBackspread,
    "calendar": CalendarSpread,
    "equity_trend": EquityTrend,
}


def build_strategies(names: Iterable[str] | None = None) -> list[OptionStrategy]:
    """Fresh instances of the named built-ins (all of them when `names` is None)."""
    chosen = list(BUILT_INS) if names is None else list(names)
    unknown = [n for n in chosen if n not in BUILT_INS]
    if unknown:
        raise ValueError(f"strategies: unknown {', '.join(unknown)}; known: {', '.join(BUILT_INS)}")
    return [BUILT_INS[n]() for n in chosen]
