"""Market regime with hysteresis: trending, low-volatility chop, compressed, expansion.

Inputs per closed bar: ADX, a volatility measure (the pipeline passes ATR / close), the
Bollinger width ((upper - lower) / middle), the VIX and the bar's minute of the New York
day. Volatility and width are first divided by what is normal for that minute of the
session (`TimeOfDayBaseline`, learned across days), then ranked against their own recent
history (percentiles over `lookback_bars`), so thresholds depend neither on the symbol's
price level nor on the clock: the open's ordinary volatility is not an expansion. Without
a minute (or with `time_of_day` off) the raw measures are ranked, as before.

Raw classification, first match wins:
1. high-volatility expansion: volatility percentile >= `vol_high_pct`, or VIX >= `vix_high`
2. trending: ADX >= `adx_trend`
3. compressed: Bollinger-width percentile <= `width_low_pct`
4. low-volatility chop: everything else
Each threshold has a looser exit level that applies while already in that regime, and a
change of regime is accepted only after the same new raw class was seen on
`confirm_bars` consecutive bars and the current regime has lasted `min_dwell_bars` bars.
A missing input (indicator not ready) leaves the regime as it is (UNKNOWN at the start);
a missing VIX only removes the VIX rule.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from brain.indicators.time_of_day import TimeOfDayBaseline


class Regime(StrEnum):
    """The market regime a strategy may condition on."""

    UNKNOWN = "unknown"
    TRENDING = "trending"
    LOW_VOL_CHOP = "low_vol_chop"
    COMPRESSED = "compressed"
    HIGH_VOL_EXPANSION = "high_vol_expansion"


@dataclass(frozen=True, slots=True)
class RegimeThresholds:
    """Injected thresholds (enter / exit levels) and the hysteresis settings."""

    adx_trend: float = 25.0
    adx_trend_exit: float = 20.0
    vol_high_pct: float = 0.80
    vol_high_exit_pct: float = 0.65
    vix_high: float = 25.0
    vix_high_exit: float = 22.0
    width_low_pct: float = 0.20
    width_low_exit_pct: float = 0.35
    # one-minute bars: a regime holds at least a quarter of an hour and a change must show
    # on five bars in a row, so strategies gated on it do not churn
    min_dwell_bars: int = 15
    confirm_bars: int = 5
    lookback_bars: int = 390
    min_history: int = 30  # percentiles need this many samples before they count
    # per-minute-of-day normalisation, learned over ~N days and counted from 2 of them:
    # one-minute buckets because the open's volatility falls within its first minutes
    time_of_day: bool = True
    time_bucket_minutes: int = 1
    time_baseline_days: int = 10
    time_min_days: int = 2

    def __post_init__(self) -> None:
        if self.adx_trend_exit > self.adx_trend:
            raise ValueError("adx_trend_exit: must be <= adx_trend")
        if self.vol_high_exit_pct > self.vol_high_pct:
            raise ValueError("vol_high_exit_pct: must be <= vol_high_pct")
        if self.vix_high_exit > self.vix_high:
            raise ValueError("vix_high_exit: must be <= vix_high")
        if self.width_low_exit_pct < self.width_low_pct:
            raise ValueError("width_low_exit_pct: must be >= width_low_pct")
        if self.min_dwell_bars < 0 or self.confirm_bars < 1:
            raise ValueError("min_dwell_bars: must be >= 0 and confirm_bars >= 1")
        if self.lookback_bars < 2 or not 1 <= self.min_history <= self.lookback_bars:
            raise ValueError("lookback_bars/min_history: need 1 <= min_history <= lookback")


class RollingPercentile:
    """Percentile rank of a value among the last `window` values.

    A sorted list beside a FIFO: O(log n) search plus a C-level memmove per push; with
    windows of a few hundred bars this is well under a microsecond per bar.
    """

    __slots__ = ("_fifo", "_sorted", "window")

    def __init__(self, window: int) -> None:
        self.window = window
        self._fifo: deque[float] = deque()
        self._sorted: list[float] = []

    def push(self, x: float) -> float:
        """Add `x` and return its mid-rank in (0, 1) among the window (including itself):
        ties count half, so a flat history ranks 0.5 rather than looking extreme."""
        s = self._sorted
        fifo = self._fifo
        if len(fifo) == self.window:
            del s[bisect_left(s, fifo.popleft())]
        fifo.append(x)
        below = bisect_left(s, x)
        upto = bisect_right(s, x, below)
        s.insert(upto, x)
        # below values < x, upto - below equal ones, plus x itself
        return (below + upto + 1) / (2 * len(s))

    def __len__(self) -> int:
        return len(self._fifo)

    def clear(self) -> None:
        """Forget the history."""
        self._fifo.clear()
        self._sorted.clear()


class RegimeDetector:
    """Classifies each bar and applies dwell time and confirmation before a change."""

    __slots__ = (
        "_candidate",
        "_candidate_n",
        "_tod_vol",
        "_tod_width",
        "_vol",
        "_width",
        "bars_in_regime",
        "changes",
        "raw",
        "raw_changes",
        "regime",
        "t",
    )

    def __init__(self, thresholds: RegimeThresholds | None = None) -> None:
        self.t = thresholds or RegimeThresholds()
        self._vol = RollingPercentile(self.t.lookback_bars)
        self._width = RollingPercentile(self.t.lookback_bars)
        t = self.t
        need = t.time_min_days * t.time_bucket_minutes
        self._tod_vol = TimeOfDayBaseline(t.time_bucket_minutes, t.time_baseline_days, need)
        self._tod_width = TimeOfDayBaseline(t.time_bucket_minutes, t.time_baseline_days, need)
        self.reset()

    def reset(self) -> None:
        """Back to UNKNOWN with no history."""
        self._vol.clear()
        self._width.clear()
        self._tod_vol.reset()
        self._tod_width.reset()
        self.regime = Regime.UNKNOWN
        self.raw = Regime.UNKNOWN
        self.bars_in_regime = 0
        self.changes = 0
        self.raw_changes = 0  # how often the raw class changed: what hysteresis filters out
        self._candidate = Regime.UNKNOWN
        self._candidate_n = 0

    @property
    def initialized(self) -> bool:
        """True once a regime has been established."""
        return self.regime is not Regime.UNKNOWN

    def classify(self, adx: float, vol_pct: float, width_pct: float, vix: float | None) -> Regime:
        """The raw class of one bar's inputs, with exit levels for the current regime."""
        t = self.t
        cur = self.regime
        expansion = cur is Regime.HIGH_VOL_EXPANSION
        if vol_pct >= (t.vol_high_exit_pct if expansion else t.vol_high_pct):
            return Regime.HIGH_VOL_EXPANSION
        if vix is not None and vix >= (t.vix_high_exit if expansion else t.vix_high):
            return Regime.HIGH_VOL_EXPANSION
        if adx >= (t.adx_trend_exit if cur is Regime.TRENDING else t.adx_trend):
            return Regime.TRENDING
        compressed = cur is Regime.COMPRESSED
        if width_pct <= (t.width_low_exit_pct if compressed else t.width_low_pct):
            return Regime.COMPRESSED
        return Regime.LOW_VOL_CHOP

    def update(
        self,
        adx: float | None,
        vol: float | None,
        width: float | None,
        vix: float | None = None,
        minute: int | None = None,
    ) -> Regime:
        """Feed one bar's inputs (`minute`: of the New York day, 0..1439); returns the
        (possibly unchanged) regime."""
        self.bars_in_regime += 1
        if vol is None or width is None:
            self.raw = Regime.UNKNOWN
            return self.regime
        if minute is not None and self.t.time_of_day:
            vol = self._tod_vol.normalise(minute, vol)
            width = self._tod_width.normalise(minute, width)
            if vol is None or width is None:  # this minute has no baseline yet
                self.raw = Regime.UNKNOWN
                return self.regime
        vol_pct = self._vol.push(vol)
        width_pct = self._width.push(width)
        if adx is None or len(self._vol) < self.t.min_history:
            self.raw = Regime.UNKNOWN
            return self.regime
        raw = self.classify(adx, vol_pct, width_pct, vix)
        if raw is not self.raw:
            self.raw_changes += 1
        self.raw = raw
        if raw is self.regime:
            self._candidate_n = 0
            return raw
        if raw is self._candidate:
            self._candidate_n += 1
        else:
            self._candidate = raw
            self._candidate_n = 1
        dwell_ok = self.regime is Regime.UNKNOWN or self.bars_in_regime >= self.t.min_dwell_bars
        if self._candidate_n >= self.t.confirm_bars and dwell_ok:
            self.regime = raw
            self.bars_in_regime = 0
            self._candidate_n = 0
            self.changes += 1
        return self.regime
