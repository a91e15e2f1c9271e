"""Average true range (Wilder), Bollinger bands and realized volatility."""

from __future__ import annotations

import math

from brain.bars import Bar
from brain.indicators.base import CloseIndicator, Indicator, RollingStats, check_period

MINUTES_PER_YEAR = 252 * 390  # regular-session one-minute bars in a trading year


class ATR(Indicator):
    """Average true range with Wilder smoothing (talipp's convention).

    The first bar's true range is high - low; the first ATR (after `period` bars) is the
    mean of the first `period` true ranges; then `atr = (atr * (period - 1) + tr) / period`.
    """

    __slots__ = ("_prev_close", "_seed", "period", "tr")

    def __init__(self, period: int = 14) -> None:
        super().__init__()
        self.period = check_period(period)
        self._prev_close: float | None = None
        self._seed = 0.0
        self.tr: float | None = None  # the latest true range

    def update(self, high: float, low: float, close: float) -> None:
        """Feed one bar's high, low and close."""
        pc = self._prev_close
        if pc is None:
            tr = high - low
        else:
            tr = max(high - low, abs(high - pc), abs(low - pc))
        self._prev_close = close
        self.tr = tr
        self.count += 1
        p = self.period
        v = self.value
        if v is not None:
            self.value = (v * (p - 1) + tr) / p
            return
        self._seed += tr
        if self.count == p:
            self.value = self._seed / p

    def on_bar(self, bar: Bar) -> None:
        """Feed the bar's high, low and close."""
        self.update(bar.high, bar.low, bar.close)

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._prev_close = None
        self._seed = 0.0
        self.tr = None


class BollingerBands(CloseIndicator):
    """Bollinger bands: SMA middle, +/- `k` population standard deviations over `period`
    (talipp's StdDev divides by `period`). `value` is the middle band."""

    __slots__ = ("_stats", "k", "lower", "period", "upper", "width")

    def __init__(self, period: int = 20, k: float = 2.0) -> None:
        super().__init__()
        self.period = check_period(period)
        self.k = float(k)
        self._stats = RollingStats(period)
        self.upper: float | None = None
        self.lower: float | None = None
        self.width: float | None = None  # (upper - lower) / middle

    def update(self, value: float) -> None:
        """Feed one close."""
        self.count += 1
        if not self._stats.push(value):
            return
        mid, var = self._stats.mean_and_population_variance()
        band = self.k * math.sqrt(var)
        self.value = mid
        self.upper = mid + band
        self.lower = mid - band
        self.width = (2.0 * band) / mid if mid != 0.0 else None

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._stats.clear()
        self.upper = self.lower = self.width = None


class RealizedVolatility(CloseIndicator):
    """Annualized realized volatility: sample stdev of the last `period` log returns of
    consecutive closes, times sqrt(`periods_per_year`) (one-minute bars by default)."""

    __slots__ = ("_annualize", "_prev", "_stats", "period")

    def __init__(self, period: int = 30, periods_per_year: float = MINUTES_PER_YEAR) -> None:
        super().__init__()
        self.period = check_period(period)
        if period < 2:
            raise ValueError("period: must be >= 2 for a sample stdev")
        if periods_per_year <= 0:
            raise ValueError("periods_per_year: must be > 0")
        self._annualize = math.sqrt(periods_per_year)
        self._stats = RollingStats(period)
        self._prev: float | None = None

    def update(self, value: float) -> None:
        """Feed one close (must be > 0)."""
        prev = self._prev
        if value <= 0.0:
            return  # no log return from a non-positive price: treat as missing input
        self._prev = value
        if prev is None:
            return
        self.count += 1
        if self._stats.push(math.log(value / prev)):
            self.value = math.sqrt(self._stats.sample_variance()) * self._annualize

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._stats.clear()
        self._prev = None
