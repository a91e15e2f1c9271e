"""The brain's heartbeat to the gate: every 60 s, with a small state summary.

The gate's watchdog moves trading to REDUCING when heartbeats stop while positions are
open, so a missed beat matters; a failed beat is counted and retried at the next tick,
never raised (the supervisor would only restart the loop). The gate's answer carries the
trading state, kept here so the engine stops opening when the gate is REDUCING or HALTED.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brain.gate_client import GateClient, GateClientError
from brain.timing import Pace, Sleep
from gatekeeper.contract import TradingState
from tradier.clock import Clock

log = logging.getLogger(__name__)
HEARTBEAT_INTERVAL_S = 60.0


@dataclass
class Heartbeat:
    """Sends `summary()` to the gate every `interval_s` seconds of the injected clock."""

    gate: GateClient | None
    clock: Clock
    sleep: Sleep
    brain_id: str
    summary: Callable[[], dict[str, Any]]
    interval_s: float = HEARTBEAT_INTERVAL_S
    sent: int = 0
    failed: int = 0
    last_ok_ms: int | None = None
    trading_state: TradingState | None = None
    _last_error: str | None = field(default=None, repr=False)

    async def beat(self) -> bool:
        """Send one heartbeat; True when the gate acknowledged it."""
        if self.gate is None:
            return False
        try:
            reply = await self.gate.heartbeat(self.brain_id, self.clock.now_ms(), self.summary())
        except asyncio.CancelledError:
            raise
        except (GateClientError, ValueError) as exc:
            self.failed += 1
            self._last_error = type(exc).__name__
            log.warning("heartbeat failed: %s", self._last_error)
            return False
        self.sent += 1
        self.last_ok_ms = self.clock.now_ms()
        self.trading_state = reply.state
        return True

    async def run(self, pace: Pace | None = None) -> None:
        """Beat forever (until cancelled), waiting `interval_s` between beats (through
        `pace` when given, so replay beats in simulated time, in turn with the others)."""
        while True:
            await self.beat()
            if pace is None:
                await self.sleep(self.interval_s)
            else:
                await pace.wait("heartbeat", self.interval_s)
