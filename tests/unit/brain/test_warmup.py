from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from brain.pipeline import Pipeline
from brain.warmup import warm_up
from tradier.clock import NEW_YORK, ManualClock, from_datetime


def ny(day: int, h: int, m: int) -> int:
    return from_datetime(datetime(2026, 11, day, h, m, tzinfo=NEW_YORK))


class History:
    """Three sessions of one-minute rows, whatever the window asked for."""

    def __init__(self) -> None:
        self.rows = [
            SimpleNamespace(
                time_ms=ny(day, 9, 30) + i * 60_000,
                open=Decimal(100),
                high=Decimal("100.5"),
                low=Decimal("99.5"),
                close=Decimal(100),
                volume=1000,
                vwap=Decimal(100),
            )
            for day in (10, 11, 12)
            for i in range(390)
        ]

    async def timesales(self, symbol, interval="1min", start=None, end=None, session_filter="all"):
        return self.rows


async def test_warm_up_when_run_again_next_morning_then_bars_already_seen_not_applied_twice():
    clock = ManualClock(ny(13, 9, 0))
    pipe = Pipeline(["SPY"], [], clock)
    history = History()
    assert await warm_up(pipe, history, clock) == {"SPY": 3 * 390}
    assert await warm_up(pipe, history, clock) == {"SPY": 0}
