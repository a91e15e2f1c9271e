"""The brain's own signal limits, before anything is sent to the gate.

One opening proposal per symbol per minute, and the same signal (same symbol, strategy,
structure and direction) not repeated within five minutes. The gate enforces limits of
its own; these keep a misbehaving strategy from flooding it. Closing proposals are never
held back by the per-symbol limit (an exit must not wait behind an entry), only by the
repeat rule, so the same close is not sent twice in a row. Time comes from an injected
clock, so replay runs in simulated time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from tradier.clock import Clock

PER_SYMBOL_WINDOW_MS: Final = 60_000
REPEAT_WINDOW_MS: Final = 300_000


class LimitReason(StrEnum):
    """Why the brain held a signal back."""

    SYMBOL_RATE = "symbol_rate"
    REPEATED_SIGNAL = "repeated_signal"


@dataclass(frozen=True, slots=True)
class LimitHit:
    """A signal held back: the reason and when it could go (epoch ms)."""

    reason: LimitReason
    retry_at_ms: int


class SignalLimiter:
    """Per-symbol rate and repeat suppression; `admit` checks and records in one step."""

    def __init__(
        self,
        clock: Clock,
        per_symbol_ms: int = PER_SYMBOL_WINDOW_MS,
        repeat_ms: int = REPEAT_WINDOW_MS,
    ) -> None:
        if per_symbol_ms < 0 or repeat_ms < 0:
            raise ValueError("per_symbol_ms, repeat_ms: must be >= 0")
        self._clock = clock
        self._per_symbol_ms = per_symbol_ms
        self._repeat_ms = repeat_ms
        self._last_by_symbol: dict[str, int] = {}
        self._last_by_key: dict[str, int] = {}

    def check(self, symbol: str, key: str, *, closing: bool = False) -> LimitHit | None:
        """The limit this signal would hit now, or None when it may go."""
        now = self._clock.now_ms()
        last_key = self._last_by_key.get(key)
        if last_key is not None and now - last_key < self._repeat_ms:
            return LimitHit(LimitReason.REPEATED_SIGNAL, last_key + self._repeat_ms)
        if not closing:
            last_symbol = self._last_by_symbol.get(symbol)
            if last_symbol is not None and now - last_symbol < self._per_symbol_ms:
                return LimitHit(LimitReason.SYMBOL_RATE, last_symbol + self._per_symbol_ms)
        return None

    def record(self, symbol: str, key: str, *, closing: bool = False) -> None:
        """Note that a proposal for this signal was sent now."""
        now = self._clock.now_ms()
        self._last_by_key[key] = now
        if not closing:
            self._last_by_symbol[symbol] = now
        self._prune(now)

    def admit(self, symbol: str, key: str, *, closing: bool = False) -> LimitHit | None:
        """Check, and record when admitted: None means the proposal may be sent."""
        hit = self.check(symbol, key, closing=closing)
        if hit is None:
            self.record(symbol, key, closing=closing)
        return hit

    def snapshot(self) -> dict[str, dict[str, int]]:
        """The limiter's memory, for persistence across a restart."""
        return {"symbols": dict(self._last_by_symbol), "keys": dict(self._last_by_key)}

    def restore(self, data: dict[str, dict[str, int]]) -> None:
        """Load what `snapshot` returned (unknown shapes are ignored, never trusted)."""
        for target, name in ((self._last_by_symbol, "symbols"), (self._last_by_key, "keys")):
            section = data.get(name, {})
            if isinstance(section, dict):
                target.update({str(k): int(v) for k, v in section.items() if isinstance(v, int)})

    def _prune(self, now: int) -> None:
        # Keep memory bounded over a long-running day: forget what no longer limits.
        if len(self._last_by_key) > 1024:
            horizon = now - self._repeat_ms
            self._last_by_key = {k: t for k, t in self._last_by_key.items() if t > horizon}
        if len(self._last_by_symbol) > 1024:
            horizon = now - self._per_symbol_ms
            self._last_by_symbol = {k: t for k, t in self._last_by_symbol.items() if t > horizon}
