"""Option-market inputs: IV rank from at-the-money IV samples, and the VIX from quotes."""

from __future__ import annotations

import math
from collections import deque

from brain.bars import Bar
from brain.indicators.base import Indicator

DAY_MS = 86_400_000


class IvRank(Indicator):
    """IV rank: (iv - min) / (max - min) of the chain's at-the-money IV over a lookback.

    Samples arrive from the chain poller (`update(iv, ts_ms)`); samples older than
    `lookback_ms` before the newest fall out. Min and max come from monotonic deques, so
    each update is O(1) amortized. Not ready until `min_samples` samples are in the
    lookback and max > min. A missing, NaN or non-positive IV is ignored, never read as 0.
    """

    __slots__ = ("_max", "_min", "_samples", "iv", "lookback_ms", "min_samples")

    def __init__(self, lookback_ms: int = 252 * DAY_MS, min_samples: int = 2) -> None:
        super().__init__()
        if lookback_ms <= 0:
            raise ValueError("lookback_ms: must be > 0")
        if min_samples < 2:
            raise ValueError("min_samples: must be >= 2")
        self.lookback_ms = lookback_ms
        self.min_samples = min_samples
        self._samples: deque[int] = deque()  # timestamps in the lookback
        self._min: deque[tuple[int, float]] = deque()  # increasing iv
        self._max: deque[tuple[int, float]] = deque()  # decreasing iv
        self.iv: float | None = None

    def update(self, iv: float | None, ts_ms: int) -> None:
        """Add one at-the-money IV sample taken at `ts_ms`."""
        if iv is None or math.isnan(iv) or iv <= 0.0:
            return
        if self._samples and ts_ms < self._samples[-1]:
            return  # out of order: the deques assume time moves forward
        self.count += 1
        self.iv = iv
        self._samples.append(ts_ms)
        mn, mx = self._min, self._max
        while mn and mn[-1][1] >= iv:
            mn.pop()
        mn.append((ts_ms, iv))
        while mx and mx[-1][1] <= iv:
            mx.pop()
        mx.append((ts_ms, iv))
        cutoff = ts_ms - self.lookback_ms
        while self._samples[0] < cutoff:
            self._samples.popleft()
        while mn[0][0] < cutoff:
            mn.popleft()
        while mx[0][0] < cutoff:
            mx.popleft()
        lo = mn[0][1]
        hi = mx[0][1]
        if len(self._samples) >= self.min_samples and hi > lo:
            self.value = (iv - lo) / (hi - lo)
        else:
            self.value = None

    @property
    def low(self) -> float | None:
        """Lowest IV in the lookback."""
        return self._min[0][1] if self._min else None

    @property
    def high(self) -> float | None:
        """Highest IV in the lookback."""
        return self._max[0][1] if self._max else None

    def on_bar(self, bar: Bar) -> None:
        """Bars carry no IV; IV rank is fed by the chain poller."""

    def reset(self) -> None:
        """Forget every sample."""
        super().reset()
        self._samples.clear()
        self._min.clear()
        self._max.clear()
        self.iv = None


class Vix(Indicator):
    """The VIX level from its index quote: the most recent of the last trade price and a
    valid bid/ask mid (an index quote often has no bid/ask; zeros mean missing)."""

    __slots__ = ("updated_ms",)

    def __init__(self) -> None:
        super().__init__()
        self.updated_ms = -1

    def update_quote(self, bid: float, ask: float, ts_ms: int) -> None:
        """Feed a VIX quote."""
        if bid > 0.0 and ask >= bid and ts_ms >= self.updated_ms:
            self.value = (bid + ask) * 0.5
            self.updated_ms = ts_ms
            self.count += 1

    def update_last(self, price: float, ts_ms: int) -> None:
        """Feed a VIX last price (trade or summary event)."""
        if price > 0.0 and ts_ms >= self.updated_ms:
            self.value = price
            self.updated_ms = ts_ms
            self.count += 1

    def on_bar(self, bar: Bar) -> None:
        """Feed a VIX bar's close."""
        self.update_last(bar.close, bar.end_ms)

    def reset(self) -> None:
        """Forget the level."""
        super().reset()
        self.updated_ms = -1
