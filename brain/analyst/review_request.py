"""The review request built from the brain's real state (never placeholders).

What the planner priced (legs with their chain bid/ask, the net price, the maximum
loss, the quantity sizing chose), the symbol's indicators, quote and regime, the open
positions and the gate's trading state. What is not known yet is null, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from brain.analyst.review_schema import Alternative, LegView, PositionView, ReviewRequest
from brain.market import Signal, SymbolState
from brain.monitor import OpenPosition
from brain.strategies.base import EquityPlan, PlannedTrade
from tradier.money import to_wire

MAX_REASON = 300
MAX_NOTES = 5
MAX_NOTE = 500


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def indicators_of(state: SymbolState | None) -> dict[str, float | None]:
    """The symbol's indicator values (null until each is ready)."""
    if state is None:
        return {}
    return {
        "last": _round(state.last),
        "sma_fast": _round(state.sma_fast.value),
        "sma_slow": _round(state.sma_slow.value),
        "ema_fast": _round(state.ema_fast.value),
        "ema_slow": _round(state.ema_slow.value),
        "rsi": _round(state.rsi.value),
        "atr": _round(state.atr.value),
        "adx": _round(state.adx.value),
        "bb_width": _round(state.bb.width),
        "realized_vol": _round(state.realized_vol.value),
        "vwap": _round(state.vwap.value),
        "iv_rank": _round(state.iv_rank.value),
        "vix": _round(state.vix.value),
    }


def quote_of(state: SymbolState | None) -> dict[str, float | None]:
    """The symbol's current quote (null without one)."""
    if state is None:
        return {"bid": None, "ask": None, "spread": None}
    return {"bid": state.bid, "ask": state.ask, "spread": _round(state.spread)}


def alternative_of(index: int, trade: PlannedTrade, quantity: int) -> Alternative:
    """One planned structure as the reviewer sees it."""
    plan = trade.plan
    take_profit = to_wire(trade.targets.take_profit_each)
    stop_loss = to_wire(trade.targets.stop_loss_each)
    if isinstance(plan, EquityPlan):
        return Alternative(
            index=index,
            strategy=plan.strategy.value,
            kind=plan.kind,
            side=plan.side.value,
            net_price=to_wire(plan.price),
            net_kind="debit" if plan.side.value == "buy" else "credit",
            stop=to_wire(plan.stop),
            quantity=quantity,
            take_profit_each=take_profit,
            stop_loss_each=stop_loss,
        )
    legs = [
        LegView(
            option_symbol=leg.contract.symbol,
            side=leg.side.value,
            ratio=leg.ratio,
            option_type=leg.contract.option_type.value,
            strike=to_wire(leg.contract.strike),
            expiration=leg.contract.expiration.isoformat(),
            bid=to_wire(leg.contract.bid),
            ask=to_wire(leg.contract.ask),
            delta=_round(leg.contract.delta),
            iv=_round(leg.contract.iv),
        )
        for leg in plan.legs
    ]
    return Alternative(
        index=index,
        strategy=plan.strategy.value,
        kind=plan.kind,
        legs=legs,
        net_price=to_wire(plan.net.price),
        net_kind=plan.net.kind.value,
        max_loss_each=to_wire(plan.max_loss_each),
        quantity=quantity,
        take_profit_each=take_profit,
        stop_loss_each=stop_loss,
    )


def position_of(position: OpenPosition) -> PositionView:
    """An open position as the reviewer sees it."""
    pnl = position.last_pnl_each
    return PositionView(
        symbol=position.symbol,
        strategy=position.strategy.value,
        quantity=position.quantity,
        entry_signed=to_wire(position.entry_signed),
        last_pnl_each=to_wire(pnl) if pnl is not None else None,
        closing=position.closing_id is not None,
    )


def build_review_request(
    signal: Signal,
    alternatives: Sequence[tuple[PlannedTrade, int]],
    *,
    state: SymbolState | None,
    positions: Iterable[OpenPosition],
    gate: Mapping[str, Any],
    now_ms: int,
    notes: Sequence[str] = (),
) -> ReviewRequest:
    """The request for `signal`: the planner's alternatives (first: its choice), each with
    the quantity sizing gave it, and the state around them."""
    return ReviewRequest(
        symbol=signal.symbol,
        strategy=signal.strategy,
        kind=signal.kind,
        signal_reason=signal.reason[:MAX_REASON],
        strength=round(float(signal.strength), 4),
        signal_at=_iso(signal.created_at_ms),
        now=_iso(now_ms),
        regime=str(signal.params.get("regime") or (state.current_regime if state else "unknown")),
        indicators=indicators_of(state),
        quote=quote_of(state),
        alternatives=[alternative_of(i, t, q) for i, (t, q) in enumerate(alternatives)],
        open_positions=[position_of(p) for p in positions],
        gate=dict(gate),
        notes=[n[:MAX_NOTE] for n in notes[:MAX_NOTES]],
    )
