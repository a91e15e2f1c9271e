"""Clocks: every component takes one, so replay and tests run in simulated time.

Inside edgegate, time is UTC epoch milliseconds; market logic converts to New York time
with `to_new_york`. No domain code calls `time.time()` or `datetime.now()` directly.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")


class Clock(Protocol):
    """A source of the current time in UTC epoch milliseconds."""

    def now_ms(self) -> int:
        """The current time, UTC epoch milliseconds."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now_ms(self) -> int:
        """The current wall-clock time."""
        return time.time_ns() // 1_000_000


class ManualClock:
    """A clock that moves only when told to; for tests."""

    def __init__(self, start_ms: int) -> None:
        self._now = start_ms
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """The time last set."""
        with self._lock:
            return self._now

    def set(self, ms: int) -> None:
        """Jump to `ms`."""
        with self._lock:
            self._now = ms

    def advance(self, ms: int) -> int:
        """Move forward by `ms` and return the new time."""
        with self._lock:
            self._now += ms
            return self._now


class ScaledClock:
    """Simulated time that starts at `start_ms` and runs `speed` times faster than real time."""

    def __init__(self, start_ms: int, speed: float = 1.0, base: Clock | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed: must be > 0")
        self._base = base or SystemClock()
        self._origin_real = self._base.now_ms()
        self._origin_sim = start_ms
        self.speed = speed

    def now_ms(self) -> int:
        """Simulated now."""
        elapsed = self._base.now_ms() - self._origin_real
        return self._origin_sim + int(elapsed * self.speed)


class OffsetClock:
    """Another clock's time shifted by a fixed offset (e.g. to follow a remote clock)."""

    def __init__(self, offset_ms: int, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self.offset_ms = offset_ms

    def now_ms(self) -> int:
        """Base time plus the offset."""
        return self._base.now_ms() + self.offset_ms


def to_utc(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def to_new_york(ms: int) -> datetime:
    """Epoch milliseconds as an aware America/New_York datetime."""
    return datetime.fromtimestamp(ms / 1000, tz=NEW_YORK)


def from_datetime(dt: datetime) -> int:
    """An aware datetime as epoch milliseconds."""
    if dt.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return int(dt.timestamp() * 1000)
