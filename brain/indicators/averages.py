"""Simple and exponential moving averages of any period."""

from __future__ import annotations

from collections import deque

from brain.indicators.base import INV_SCALE, SCALE, CloseIndicator, check_period


class SMA(CloseIndicator):
    """Simple moving average over a ring buffer with an exact running sum (the values are
    kept as integers of 2**-60, see `RollingStats`), so a week of updates never drifts."""

    __slots__ = ("_sum", "_window", "period")

    def __init__(self, period: int) -> None:
        super().__init__()
        self.period = check_period(period)
        self._window: deque[int] = deque(maxlen=period)
        self._sum = 0

    def update(self, value: float) -> None:
        """Feed one value."""
        q = int(value * SCALE)
        w = self._window
        if len(w) == self.period:
            self._sum -= w[0]
        w.append(q)
        self._sum += q
        self.count += 1
        if len(w) == self.period:
            self.value = self._sum / self.period * INV_SCALE

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._window.clear()
        self._sum = 0


class EMA(CloseIndicator):
    """Exponential moving average, alpha 2/(period+1), seeded with the SMA of the first
    `period` values (talipp's and TA-Lib's convention)."""

    __slots__ = ("_alpha", "_seed", "period")

    def __init__(self, period: int) -> None:
        super().__init__()
        self.period = check_period(period)
        self._alpha = 2.0 / (period + 1.0)
        self._seed = 0.0

    def update(self, value: float) -> None:
        """Feed one value."""
        self.count += 1
        v = self.value
        if v is not None:
            a = self._alpha
            self.value = a * value + (1.0 - a) * v
            return
        self._seed += value
        if self.count == self.period:
            self.value = self._seed / self.period

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._seed = 0.0
