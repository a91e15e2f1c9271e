"""Sleeping in the time of an injected clock, so replay runs in simulated time.

Live, the clock is the system clock and a sleep is `asyncio.sleep`. In replay, the clock is
the simulator's (manual or scaled), and a sleep of 60 s must end when *that* clock has
moved 60 s; `clock_sleep` polls it in small real-time steps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from tradier.clock import Clock, ScaledClock, SystemClock

Sleep = Callable[[float], Awaitable[None]]


def clock_sleep(clock: Clock, poll_s: float = 0.002) -> Sleep:
    """A sleep function that waits `seconds` of `clock` time."""
    if isinstance(clock, SystemClock):
        return asyncio.sleep
    if isinstance(clock, ScaledClock):
        speed = clock.speed

        async def scaled(seconds: float) -> None:
            await asyncio.sleep(max(0.0, seconds) / speed)

        return scaled

    async def polled(seconds: float) -> None:
        target = clock.now_ms() + int(max(0.0, seconds) * 1000)
        # The clock is moved by someone else (the replay driver): nothing to wait on but it.
        while clock.now_ms() < target:  # noqa: ASYNC110
            await asyncio.sleep(poll_s)

    return polled
