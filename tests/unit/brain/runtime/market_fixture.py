"""Hand-built SymbolState and bars for strategy tests (real classes, values set directly)."""

from __future__ import annotations

from brain.bars import Bar, Session
from brain.market import Regime, SymbolState

T0 = 1_795_012_200_000  # a regular-session minute


def bar(close: float, minute: int = 0, session: Session = Session.REGULAR) -> Bar:
    start = T0 + minute * 60_000
    return Bar("SPY", start, close, close + 0.2, close - 0.2, close, 1000, 10, close, session)


def state(regime: Regime, **values: float) -> SymbolState:
    st = SymbolState("SPY")
    st.regime.regime = regime
    st.bid, st.ask = 499.99, 500.01
    for name, value in values.items():
        if name in ("bb_upper", "bb_lower"):
            setattr(st.bb, name.removeprefix("bb_"), value)
        else:
            getattr(st, name).value = value
    return st
