"""Average directional index with +DI/-DI (Wilder), as talipp computes it."""

from __future__ import annotations

from brain.bars import Bar
from brain.indicators.base import Indicator, check_period
from brain.indicators.volatility import ATR


class ADX(Indicator):
    """ADX, +DI and -DI.

    +DM/-DM from consecutive highs and lows; their Wilder averages (seeded with the mean
    of the first `di_period` values) over an ATR(`di_period`) give +DI/-DI; DX is
    100 * |+DI - -DI| / (+DI + -DI); ADX is the Wilder average of DX over `adx_period`
    seeded with the mean of the first `adx_period` DX values. `value` is the ADX; `plus_di`
    and `minus_di` are ready `adx_period - 1` bars earlier.

    `shared_atr`: an ATR(`di_period`) that the owner already updates with the same bars
    before calling `update` (saves computing the same ATR twice); by default ADX owns one.
    """

    __slots__ = (
        "_atr",
        "_dm_n",
        "_dx",
        "_dx_n",
        "_dx_seed",
        "_mdm",
        "_owns_atr",
        "_pdm",
        "_prev_high",
        "_prev_low",
        "adx_period",
        "di_period",
        "minus_di",
        "plus_di",
    )

    def __init__(
        self, di_period: int = 14, adx_period: int = 14, shared_atr: ATR | None = None
    ) -> None:
        super().__init__()
        self.di_period = check_period(di_period, "di_period")
        self.adx_period = check_period(adx_period, "adx_period")
        if shared_atr is not None and shared_atr.period != di_period:
            raise ValueError("shared_atr: its period must equal di_period")
        self._owns_atr = shared_atr is None
        self._atr = shared_atr if shared_atr is not None else ATR(di_period)
        self._prev_high: float | None = None
        self._prev_low = 0.0
        self._reset_state()

    def _reset_state(self) -> None:
        self._pdm = 0.0
        self._mdm = 0.0
        self._dm_n = 0
        self._dx: float | None = None
        self._dx_n = 0
        self._dx_seed = 0.0
        self.plus_di: float | None = None
        self.minus_di: float | None = None

    def update(self, high: float, low: float, close: float) -> None:
        """Feed one bar's high, low and close."""
        if self._owns_atr:
            self._atr.update(high, low, close)
        ph = self._prev_high
        pl = self._prev_low
        self._prev_high = high
        self._prev_low = low
        if ph is None:
            return
        self.count += 1
        up = high - ph
        down = pl - low
        pdm = up if (up > down and up > 0.0) else 0.0
        mdm = down if (down > up and down > 0.0) else 0.0
        n = self._dm_n = self._dm_n + 1
        p = self.di_period
        if n < p:
            self._pdm += pdm
            self._mdm += mdm
            return
        if n == p:
            self._pdm = (self._pdm + pdm) / p
            self._mdm = (self._mdm + mdm) / p
        else:
            self._pdm = (self._pdm * (p - 1) + pdm) / p
            self._mdm = (self._mdm * (p - 1) + mdm) / p
        atr = self._atr.value
        if atr:  # an ATR of 0 keeps the previous DIs (talipp), or 0 before any
            self.plus_di = 100.0 * self._pdm / atr
            self.minus_di = 100.0 * self._mdm / atr
        elif self.plus_di is None:
            self.plus_di = self.minus_di = 0.0
        pdi = self.plus_di or 0.0
        mdi = self.minus_di or 0.0
        denom = pdi + mdi
        if denom != 0.0:
            self._dx = 100.0 * abs(pdi - mdi) / denom
        elif self._dx is None:
            self._dx = 0.0
        dx = self._dx
        k = self._dx_n = self._dx_n + 1
        q = self.adx_period
        v = self.value
        if v is not None:
            self.value = (v * (q - 1) + dx) / q
            return
        self._dx_seed += dx
        if k == q:
            self.value = self._dx_seed / q

    def on_bar(self, bar: Bar) -> None:
        """Feed the bar's high, low and close."""
        self.update(bar.high, bar.low, bar.close)

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        if self._owns_atr:
            self._atr.reset()
        self._prev_high = None
        self._prev_low = 0.0
        self._reset_state()
