"""RSI with Wilder smoothing."""

from __future__ import annotations

from brain.indicators.base import CloseIndicator, check_period


class RSI(CloseIndicator):
    """Relative strength index, Wilder smoothing.

    The first average gain and loss are the plain means of the first `period` changes
    (needs `period + 1` values); afterwards `avg = (avg * (period - 1) + x) / period`.
    talipp seeds with the first `period - 1` changes and then applies one Wilder step,
    which is algebraically the same. RSI is 100 when the average loss is 0.
    """

    __slots__ = ("_avg_gain", "_avg_loss", "_prev", "period")

    def __init__(self, period: int = 14) -> None:
        super().__init__()
        self.period = check_period(period)
        if period < 2:
            raise ValueError("period: must be >= 2 for RSI")
        self._prev: float | None = None
        self._avg_gain = 0.0
        self._avg_loss = 0.0

    def update(self, value: float) -> None:
        """Feed one close."""
        prev = self._prev
        self._prev = value
        if prev is None:
            return
        self.count += 1
        change = value - prev
        gain = change if change > 0.0 else 0.0
        loss = -change if change < 0.0 else 0.0
        p = self.period
        if self.count < p:
            self._avg_gain += gain
            self._avg_loss += loss
            return
        if self.count == p:
            self._avg_gain = (self._avg_gain + gain) / p
            self._avg_loss = (self._avg_loss + loss) / p
        else:
            self._avg_gain = (self._avg_gain * (p - 1) + gain) / p
            self._avg_loss = (self._avg_loss * (p - 1) + loss) / p
        if self._avg_loss == 0.0:
            self.value = 100.0
        else:
            self.value = 100.0 - 100.0 / (1.0 + self._avg_gain / self._avg_loss)

    def reset(self) -> None:
        """Forget every input."""
        super().reset()
        self._prev = None
        self._avg_gain = 0.0
        self._avg_loss = 0.0
