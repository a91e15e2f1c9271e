"""Indicators anchored to the trading day: session VWAP and the opening range."""

from __future__ import annotations

from collections.abc import Callable

from brain.bars import Bar, Session
from brain.indicators.base import Indicator

OPEN_MINUTE = 9 * 60 + 30  # 09:30 New York, minutes since midnight
RANGE_END_MINUTE = 10 * 60  # 10:00 New York
LATE_START_MINUTES = 5  # a range whose first bar is later than 09:35 is incomplete


LiveSums = Callable[[], "tuple[int, float, int] | None"]


class SessionVwap(Indicator):
    """Volume-weighted average price of the regular session's trades.

    Exact sums of price * size and of size: `update(price, size)` adds one trade, `add`
    (and `on_bar`, regular-session bars only) adds a closed bar's sums; a new New York
    date resets. In the pipeline every closed regular bar is added, so `value` is the
    VWAP of every accepted trade up to the last closed bar (what a strategy sees when it
    runs, at bar close), and `live_value` also counts the open bar's trades through
    `live`, which returns the open bar's `(ny_day, notional, volume)` or None. No
    per-trade work is needed beyond the bar builder's own sums.
    """

    __slots__ = ("_day", "_live", "_pv", "_vol")

    def __init__(self, live: LiveSums | None = None) -> None:
        super().__init__()
        self._live = live
        self._pv = 0.0
        self._vol = 0
        self._day = -1

    @property
    def live_value(self) -> float | None:
        """The VWAP including the open bar's trades."""
        part = self._live() if self._live is not None else None
        if part is None:
            return self.value
        day, pv, vol = part
        if day == self._day:  # else the open bar starts a new session
            pv += self._pv
            vol += self._vol
        return pv / vol if vol > 0 else None

    def update(self, price: float, size: int) -> None:
        """Add one trade."""
        if size <= 0:
            return
        self._pv += price * size
        self._vol += size
        self.count += 1
        self.value = self._pv / self._vol

    def add(self, notional: float, volume: int, day: int) -> None:
        """Add an aggregate (sum of price*size and of size) belonging to New York `day`."""
        if day != self._day:
            self.reset()
            self._day = day
        if volume <= 0:
            return
        self._pv += notional
        self._vol += volume
        self.count += 1
        self.value = self._pv / self._vol

    def on_bar(self, bar: Bar) -> None:
        """Feed a closed bar (regular session only)."""
        if bar.session is Session.REGULAR:
            self.add(bar.notional, bar.volume, bar.ny_day)

    def reset(self) -> None:
        """Start a new session."""
        super().reset()
        self._pv = 0.0
        self._vol = 0
        self._day = -1


class OpeningRange(Indicator):
    """High and low of today's 09:30-10:00 New York bars; ready from 10:00.

    Only today's range counts: a new date resets it. If the day's first regular bar starts
    after 09:35 (the brain started late and was not warmed up) the range is incomplete and
    stays not ready for that day. `value` is the width (high - low).
    """

    __slots__ = ("_complete", "_day", "high", "low")

    def __init__(self) -> None:
        super().__init__()
        self._day = -1
        self._complete = False
        self.high: float | None = None
        self.low: float | None = None

    def update(self, high: float, low: float, ny_day: int, ny_minute: int) -> None:
        """Feed one regular-session bar's high and low with its New York date and minute."""
        if ny_day != self._day:
            self.reset()
            self._day = ny_day
            self._complete = ny_minute <= OPEN_MINUTE + LATE_START_MINUTES
        self.count += 1
        if OPEN_MINUTE <= ny_minute < RANGE_END_MINUTE:
            if self.high is None or high > self.high:
                self.high = high
            if self.low is None or low < self.low:
                self.low = low
        else:
            self.mark_time(ny_day, ny_minute)

    def mark_time(self, ny_day: int, ny_minute: int) -> None:
        """Tell the range the time (from a timer): at or after 10:00 today it becomes ready."""
        if (
            ny_day == self._day
            and ny_minute >= RANGE_END_MINUTE
            and self._complete
            and self.high is not None
            and self.low is not None
        ):
            self.value = self.high - self.low

    def on_bar(self, bar: Bar) -> None:
        """Feed a closed bar (regular session only)."""
        if bar.session is Session.REGULAR:
            self.update(bar.high, bar.low, bar.ny_day, bar.ny_minute)

    def reset(self) -> None:
        """Forget the range."""
        super().reset()
        self._day = -1
        self._complete = False
        self.high = self.low = None
