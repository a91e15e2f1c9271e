"""What is normal for this minute of the session: a per-bucket baseline learned across days.

Intraday volatility is U-shaped (the open and the close move most), so ranking one-minute
ATR against the last 390 bars reads the open's ordinary volatility as an expansion every
morning. `TimeOfDayBaseline.normalise(minute, x)` returns `x` over the mean of what was
seen in the same `bucket_minutes` of earlier bars (other days included), then learns `x`.
The mean is exponentially weighted with a horizon of about `days` sessions of that bucket,
so a slow change of level is followed while one wild day does not reset the baseline.
O(1) per update: one array slot per bucket of the 24-hour day.
"""

from __future__ import annotations

MINUTES_PER_DAY = 1440


class TimeOfDayBaseline:
    """Exponentially weighted mean of a measure per bucket of minutes of the day."""

    __slots__ = ("_mean", "_n", "bucket_minutes", "days", "min_samples")

    def __init__(self, bucket_minutes: int = 5, days: int = 10, min_samples: int | None = None):
        if not 1 <= bucket_minutes <= 60 or MINUTES_PER_DAY % bucket_minutes:
            raise ValueError("bucket_minutes: must divide 1440 and be in 1..60")
        if days < 1:
            raise ValueError("days: must be >= 1")
        self.bucket_minutes = bucket_minutes
        self.days = days
        # by default a bucket counts once it has seen one whole session's worth of bars
        self.min_samples = bucket_minutes if min_samples is None else min_samples
        if self.min_samples < 1:
            raise ValueError("min_samples: must be >= 1")
        buckets = MINUTES_PER_DAY // bucket_minutes
        self._mean = [0.0] * buckets
        self._n = [0] * buckets

    def baseline(self, minute: int) -> float | None:
        """The learned mean for `minute` (0..1439 of the New York day), None until ready."""
        b = (minute % MINUTES_PER_DAY) // self.bucket_minutes
        return self._mean[b] if self._n[b] >= self.min_samples else None

    def normalise(self, minute: int, x: float) -> float | None:
        """`x` relative to what is normal at `minute` (None until the bucket is ready, or
        when its baseline is not positive); `x` is learned afterwards, so a bar is never
        compared with itself."""
        b = (minute % MINUTES_PER_DAY) // self.bucket_minutes
        n = self._n[b]
        mean = self._mean[b]
        out = x / mean if n >= self.min_samples and mean > 0.0 else None
        n += 1
        self._n[b] = n
        self._mean[b] = mean + (x - mean) / min(n, self.days * self.bucket_minutes)
        return out

    def reset(self) -> None:
        """Forget every bucket."""
        for i in range(len(self._n)):
            self._n[i] = 0
            self._mean[i] = 0.0
