"""The indicator base class and a rolling mean/variance window shared by several."""

from __future__ import annotations

import math
from collections import deque

from brain.bars import Bar


class Indicator:
    """Base of every indicator: `update(...)`, `value`, `initialized`, `reset()`, `on_bar`.

    Subclasses keep their state in slots and do O(1) work per update. `value` is None
    until enough input has arrived; `initialized` says the same as a bool.
    """

    __slots__ = ("count", "value")

    def __init__(self) -> None:
        self.value: float | None = None
        self.count = 0  # inputs seen since the last reset

    @property
    def initialized(self) -> bool:
        """True once `value` is meaningful."""
        return self.value is not None

    def reset(self) -> None:
        """Forget every input."""
        self.value = None
        self.count = 0

    def on_bar(self, bar: Bar) -> None:
        """Feed one closed bar."""
        raise NotImplementedError


class CloseIndicator(Indicator):
    """An indicator of one series; `on_bar` feeds it the bar's close."""

    __slots__ = ()

    def on_bar(self, bar: Bar) -> None:
        """Feed the bar's close."""
        self.update(bar.close)

    def update(self, value: float) -> None:
        """Feed one input value."""
        raise NotImplementedError


def check_period(period: int, name: str = "period") -> int:
    """Validate a window length."""
    if not isinstance(period, int) or period < 1:
        raise ValueError(f"{name}: must be an integer >= 1, got {period!r}")
    return period


class RollingStats:
    """Mean and population variance over the last `period` values, O(1) per push.

    Uses the rolling form of Welford's update (replace the oldest value with the newest)
    rather than sums of squares, which lose precision when the spread is small next to
    the price level (a 0.01 stdev on a 400 price).
    """

    __slots__ = ("_m2", "_window", "mean", "period")

    def __init__(self, period: int) -> None:
        self.period = check_period(period)
        self._window: deque[float] = deque(maxlen=period)
        self.mean = 0.0
        self._m2 = 0.0

    def __len__(self) -> int:
        return len(self._window)

    @property
    def full(self) -> bool:
        """True once `period` values are in the window."""
        return len(self._window) == self.period

    def push(self, x: float) -> None:
        """Add `x`, dropping the oldest value when the window is full."""
        w = self._window
        n = len(w)
        if n < self.period:
            w.append(x)
            delta = x - self.mean
            self.mean += delta / (n + 1)
            self._m2 += delta * (x - self.mean)
            return
        old = w[0]
        w.append(x)  # deque(maxlen) drops `old`
        old_mean = self.mean
        self.mean = old_mean + (x - old) / n
        self._m2 += (x - old) * (x - self.mean + old - old_mean)
        if self._m2 < 0.0:  # rounding can take a zero variance a hair below zero
            self._m2 = 0.0

    def oldest(self) -> float:
        """The value that the next push will drop (window must be non-empty)."""
        return self._window[0]

    def population_variance(self) -> float:
        """Variance dividing by the number of values."""
        n = len(self._window)
        return self._m2 / n if n else 0.0

    def sample_variance(self) -> float:
        """Variance dividing by the number of values minus one."""
        n = len(self._window)
        return self._m2 / (n - 1) if n > 1 else 0.0

    def population_stdev(self) -> float:
        """Square root of the population variance."""
        return math.sqrt(self.population_variance())

    def clear(self) -> None:
        """Empty the window."""
        self._window.clear()
        self.mean = 0.0
        self._m2 = 0.0
