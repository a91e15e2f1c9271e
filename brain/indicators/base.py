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


SCALE = float(1 << 60)  # values are summed as exact integers in units of 2**-60
INV_SCALE = 1.0 / SCALE
_INV2 = INV_SCALE * INV_SCALE


class RollingStats:
    """Mean and variance over the last `period` values, O(1) per push, with no drift.

    Each value is quantized once to an integer number of 2**-60 units (exact for any
    price above 1/256; a 1e-18 absolute truncation for tiny values such as log
    returns) and the window keeps those integers, so the running sums of x and x**2
    are exact Python integers: the value leaving the window is subtracted exactly as it
    was added. Float rolling sums (or a rolling Welford update) drift by ~1e-10 after a
    few hundred updates, which shows up as a fake spread on a window of equal prices.
    """

    __slots__ = ("_s1", "_s2", "_window", "period")

    def __init__(self, period: int) -> None:
        self.period = check_period(period)
        self._window: deque[int] = deque(maxlen=period)
        self._s1 = 0
        self._s2 = 0

    def __len__(self) -> int:
        return len(self._window)

    @property
    def full(self) -> bool:
        """True once `period` values are in the window."""
        return len(self._window) == self.period

    def push(self, x: float) -> bool:
        """Add `x`, dropping the oldest value when the window is full; True when full."""
        q = int(x * SCALE)
        w = self._window
        if len(w) == self.period:
            old = w[0]
            w.append(q)
            self._s1 += q - old
            self._s2 += q * q - old * old
            return True
        w.append(q)
        self._s1 += q
        self._s2 += q * q
        return len(w) == self.period

    @property
    def mean(self) -> float:
        """Mean of the window (0.0 when empty)."""
        n = len(self._window)
        return self._s1 / n * INV_SCALE if n else 0.0

    def mean_and_population_variance(self) -> tuple[float, float]:
        """Both at once (the Bollinger bands need both on every bar)."""
        n = len(self._window)
        if not n:
            return 0.0, 0.0
        s1 = self._s1
        # n * sum(x^2) - sum(x)^2 is exact in units of 2**-120
        return s1 / n * INV_SCALE, (n * self._s2 - s1 * s1) / (n * n) * _INV2

    def population_variance(self) -> float:
        """Variance dividing by the number of values."""
        return self.mean_and_population_variance()[1]

    def sample_variance(self) -> float:
        """Variance dividing by the number of values minus one."""
        n = len(self._window)
        if n < 2:
            return 0.0
        s1 = self._s1
        return (n * self._s2 - s1 * s1) / (n * (n - 1)) * _INV2

    def population_stdev(self) -> float:
        """Square root of the population variance."""
        return math.sqrt(self.population_variance())

    def clear(self) -> None:
        """Empty the window."""
        self._window.clear()
        self._s1 = 0
        self._s2 = 0
