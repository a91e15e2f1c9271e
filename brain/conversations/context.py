"""The market context of a conversation, from the brain's real state, never placeholders.

Per symbol of the watchlist (or every symbol the brain tracks): the quote, indicators and
regime of the pipeline's `SymbolState`; the open positions the monitor manages; the gate's
trading state and limits in use. What is not known is null and named under `unknown`
(a symbol the brain does not stream, an indicator not warmed up, a gate not reached), so
the assistant can say it is unknown instead of guessing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from brain.analyst.review_request import indicators_of, position_of, quote_of
from brain.gate_client import GateClient, GateClientError
from brain.market import SymbolState
from brain.monitor import OpenPosition
from brain.regime import Regime
from gatekeeper.contract import StatusResponse, TradingState
from tradier.clock import Clock

GATE_STATUS_TTL_MS = 15_000  # a turn reads the gate's status at most this stale


class BrainState(Protocol):
    """What the conversations may read of the running brain."""

    def tracked(self) -> Sequence[str]:
        """The symbols the brain streams."""
        ...

    def symbol_state(self, symbol: str) -> SymbolState | None:
        """The pipeline's state of `symbol`, None when it is not streamed."""
        ...

    def positions(self) -> Sequence[OpenPosition]:
        """The positions the brain manages."""
        ...

    async def gate_status(self) -> StatusResponse | None:
        """The gate's status, None when it cannot be had."""
        ...


class LiveBrainState:
    """`BrainState` over the pipeline's states, the monitor and the gate client."""

    def __init__(
        self,
        states: dict[str, SymbolState],
        positions: dict[str, OpenPosition],
        gate: GateClient | None,
        clock: Clock,
        trading_state: Any = lambda: None,
    ) -> None:
        self._states = states
        self._positions = positions
        self._gate = gate
        self._clock = clock
        self._trading_state = trading_state  # () -> TradingState | None (the heartbeat's)
        self._cached: tuple[int, StatusResponse] | None = None
        self._lock = asyncio.Lock()

    def tracked(self) -> Sequence[str]:
        """See `BrainState.tracked`."""
        return sorted(self._states)

    def symbol_state(self, symbol: str) -> SymbolState | None:
        """See `BrainState.symbol_state`."""
        return self._states.get(symbol)

    def positions(self) -> Sequence[OpenPosition]:
        """See `BrainState.positions`."""
        return list(self._positions.values())

    def heartbeat_state(self) -> TradingState | None:
        """The trading state the last heartbeat brought back."""
        state: TradingState | None = self._trading_state()
        return state

    async def gate_status(self) -> StatusResponse | None:
        """See `BrainState.gate_status` (cached for `GATE_STATUS_TTL_MS`)."""
        if self._gate is None:
            return None
        async with self._lock:
            now = self._clock.now_ms()
            if self._cached is not None and now - self._cached[0] < GATE_STATUS_TTL_MS:
                return self._cached[1]
            try:
                status = await self._gate.status()
            except (GateClientError, ValueError):
                return None
            self._cached = (now, status)
            return status


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


def symbol_context(symbol: str, state: SymbolState | None, unknown: list[str]) -> dict[str, Any]:
    """One symbol's quote, indicators and regime (nulls named in `unknown`)."""
    if state is None:
        unknown.append(f"{symbol}: not streamed by the brain (no quote, indicators or regime)")
        return {"tracked": False, "quote": None, "indicators": None, "regime": None}
    quote = quote_of(state)
    indicators = indicators_of(state)
    regime = state.current_regime
    if quote["bid"] is None or quote["ask"] is None:
        unknown.append(f"{symbol}.quote: no two-sided quote yet")
    missing = sorted(k for k, v in indicators.items() if v is None)
    if missing:
        unknown.append(f"{symbol}.indicators: {', '.join(missing)} not warmed up")
    if regime is Regime.UNKNOWN:
        unknown.append(f"{symbol}.regime: not established yet")
    return {
        "tracked": True,
        "quote": quote,
        "indicators": indicators,
        "regime": None if regime is Regime.UNKNOWN else regime.value,
    }


def gate_context(status: StatusResponse | None, unknown: list[str]) -> dict[str, Any] | None:
    """The gate's trading state and limits in use."""
    if status is None:
        unknown.append("gate: status not reachable (trading state and limits in use unknown)")
        return None
    return {
        "trading_state": status.state.value,
        "state_reason": status.state_reason,
        "open_structures": status.open_structures,
        "max_open_structures": status.max_open_structures,
        "open_structures_by_symbol": dict(status.open_structures_by_symbol),
        "day_pnl": status.day_pnl,
        "as_of": _iso(status.as_of),
    }


async def market_context(
    brain: BrainState, watchlist: Sequence[str], now_ms: int
) -> dict[str, Any]:
    """The context document of one turn."""
    unknown: list[str] = []
    symbols = list(watchlist) or list(brain.tracked())
    per_symbol = {s: symbol_context(s, brain.symbol_state(s), unknown) for s in symbols}
    gate = gate_context(await brain.gate_status(), unknown)
    return {
        "now": _iso(now_ms),
        "symbols": per_symbol,
        "open_positions": [position_of(p).model_dump(mode="json") for p in brain.positions()],
        "gate": gate,
        "unknown": unknown,
    }
