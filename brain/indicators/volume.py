"""Volume velocity and the session volume profile (POC, value area)."""

from __future__ import annotations

from collections import deque

from brain.bars import Bar, Session
from brain.indicators.base import Indicator, check_period


class VolumeVelocity(Indicator):
    """The latest bar's volume per minute over the mean per-minute volume of the previous
    `period` bars (1.0 = normal pace, 3.0 = three times as busy). A bar after a gap counts
    its volume over the gap too (`volume / (gap_before + 1)`), so a quiet spell is not
    mistaken for a burst. Ready once `period` earlier bars are known and their mean > 0."""

    __slots__ = ("_sum", "_window", "period", "rate")

    def __init__(self, period: int = 20) -> None:
        super().__init__()
        self.period = check_period(period)
        self._window: deque[float] = deque(maxlen=period)
        self._sum = 0.0
        self.rate: float | None = None  # the latest per-minute volume

    def update(self, volume: float, minutes: int = 1) -> None:
        """Feed one bar's volume spread over `minutes` minutes."""
        rate = volume / minutes if minutes > 1 else float(volume)
        w = self._window
        self.count += 1
        if len(w) == self.period:
            mean = self._sum / self.period
            self.value = rate / mean if mean > 0.0 else None
            self._sum += rate - w[0]
        else:
            self._sum += rate
        w.append(rate)
        self.rate = rate

    def on_bar(self, bar: Bar) -> None:
        """Feed the bar's volume."""
        self.update(bar.volume, bar.gap_before + 1)

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._window.clear()
        self._sum = 0.0
        self.rate = None


class VolumeProfile(Indicator):
    """Volume by price bucket for one session, with the point of control and the value area.

    `update(price, size)` adds to a bucket of width `tick` (a dict increment, O(1)). The
    pipeline feeds it one-minute regular-session bars (`on_bar`: the bar's volume at its
    VWAP), the usual way a session profile is built from a lower time frame; per-trade
    updates would cost a dict update on every trade of the hot path for little gain. The
    POC and the value area (the smallest contiguous range around the POC holding
    `value_area` of the volume, grown one bucket at a time toward the side with more
    volume, upward on ties) are computed on read in O(number of buckets between the
    session's low and high) and cached until the next update. `value` is the POC price.
    """

    __slots__ = (
        "_buckets",
        "_day",
        "_dirty",
        "_hi",
        "_lo",
        "_poc",
        "_total",
        "_vah",
        "_val",
        "tick",
        "value_area",
    )

    def __init__(self, tick: float = 0.05, value_area: float = 0.70) -> None:
        super().__init__()
        if tick <= 0:
            raise ValueError("tick: must be > 0")
        if not 0.0 < value_area <= 1.0:
            raise ValueError("value_area: must be in (0, 1]")
        self.tick = float(tick)
        self.value_area = float(value_area)
        self._buckets: dict[int, float] = {}
        self._init_state()

    def _init_state(self) -> None:
        self._buckets.clear()
        self._total = 0.0
        self._lo = 0
        self._hi = -1
        self._dirty = False
        self._poc: float | None = None
        self._vah: float | None = None
        self._val: float | None = None
        self._day = -1

    def update(self, price: float, size: float) -> None:
        """Add `size` traded at `price`."""
        if size <= 0:
            return
        b = round(price / self.tick)
        buckets = self._buckets
        buckets[b] = buckets.get(b, 0.0) + size
        if self._hi < self._lo:
            self._lo = self._hi = b
        elif b > self._hi:
            self._hi = b
        elif b < self._lo:
            self._lo = b
        self._total += size
        self.count += 1
        self._dirty = True

    def on_bar(self, bar: Bar) -> None:
        """Add a regular-session bar's volume at its VWAP; a new date resets."""
        if bar.session is not Session.REGULAR:
            return
        if bar.ny_day != self._day:
            self.reset()
            self._day = bar.ny_day
        self.update(bar.vwap, bar.volume)

    def _compute(self) -> None:
        self._dirty = False
        if self._total <= 0.0:
            return
        get = self._buckets.get
        poc = max(self._buckets, key=lambda k: (self._buckets[k], -k))
        target = self.value_area * self._total
        lo = hi = poc
        acc = self._buckets[poc]
        while acc < target and (lo > self._lo or hi < self._hi):
            above = get(hi + 1, 0.0) if hi < self._hi else -1.0
            below = get(lo - 1, 0.0) if lo > self._lo else -1.0
            if above >= below:
                hi += 1
                acc += above
            else:
                lo -= 1
                acc += below
        t = self.tick
        self._poc = poc * t
        self._vah = hi * t
        self._val = lo * t

    @property
    def poc(self) -> float | None:
        """Price of the bucket with the most volume (lowest on ties)."""
        if self._dirty:
            self._compute()
        return self._poc

    @property
    def value_area_high(self) -> float | None:
        """Top bucket price of the value area."""
        if self._dirty:
            self._compute()
        return self._vah

    @property
    def value_area_low(self) -> float | None:
        """Bottom bucket price of the value area."""
        if self._dirty:
            self._compute()
        return self._val

    @property
    def initialized(self) -> bool:
        """True once any volume is in the profile."""
        return self._total > 0.0

    @property
    def value(self) -> float | None:
        """The POC price."""
        return self.poc

    @value.setter
    def value(self, _v: float | None) -> None:
        pass  # the base initializer assigns it; the POC is always derived

    @property
    def total_volume(self) -> float:
        """Volume in the profile."""
        return self._total

    def reset(self) -> None:
        """Start a new session."""
        self.count = 0
        self._init_state()
