"""50 forced disconnects, each after the stream sessions were expired, during a replay on
the simulator: the feed reconnects every time, the bars equal an uninterrupted run's
outside the gap windows, and no supervised task is left dead."""

from __future__ import annotations

import asyncio

import pytest

from brain.bars import Bar
from brain.replay import (
    ReplayOptions,
    ReplayResult,
    default_day,
    disruption_times,
    replay_sim,
    session_open_ms,
)

# Two replays run in the module's fixture; a loaded machine needs the extra time.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]
MINUTES = 100
DISRUPTIONS = 50
SYMBOLS = ("SPY", "QQQ")


def _options(disruptions: tuple[int, ...] = ()) -> ReplayOptions:
    return ReplayOptions(
        seed=3,
        minutes=MINUTES,
        step_s=5.0,
        symbols=SYMBOLS,
        dry_run=True,
        record_bars=True,
        disruptions_at_ms=disruptions,
    )


@pytest.fixture(scope="module")
def runs() -> tuple[ReplayResult, ReplayResult]:
    start = session_open_ms(default_day())
    times = disruption_times(start, start + MINUTES * 60_000, DISRUPTIONS)
    assert len(times) == DISRUPTIONS
    reference = asyncio.run(replay_sim(_options()))
    disrupted = asyncio.run(replay_sim(_options(times)))
    return reference, disrupted


def _ohlcv(bar: Bar) -> tuple[object, ...]:
    # gap_before is left out on purpose: a bar after a gap may see a different gap count.
    return (bar.open, bar.high, bar.low, bar.close, bar.volume, bar.trades, bar.vwap, bar.session)


def test_resilience_when_50_disconnects_then_reconnected_every_time(runs):
    reference, disrupted = runs
    assert reference.connects == 1 and reference.reconnects == 0
    assert disrupted.reconnects >= DISRUPTIONS
    assert disrupted.connects == DISRUPTIONS + 1
    assert len(disrupted.gaps) == DISRUPTIONS


def test_resilience_when_disconnects_then_bars_equal_outside_gaps(runs):
    reference, disrupted = runs
    got = {(b.symbol, b.start_ms): b for b in disrupted.bars}
    outside = [
        b
        for b in reference.bars
        if not any(g0 < b.start_ms + 60_000 and b.start_ms <= g1 for g0, g1 in disrupted.gaps)
    ]
    assert len(outside) >= MINUTES // 2 * len(SYMBOLS) * 0.8
    for bar in outside:
        other = got.get((bar.symbol, bar.start_ms))
        assert other is not None, bar
        assert _ohlcv(other) == _ohlcv(bar)


def test_resilience_when_disconnects_then_no_task_left_dead(runs):
    _, disrupted = runs
    assert disrupted.dead_tasks == []
    assert set(disrupted.restarts) >= {"feed", "flush", "executor", "monitor", "heartbeat", "poll"}
    assert disrupted.stalls == 0
