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


class Pace:
    """How a periodic task waits for its next turn. Live: sleep `interval_s`."""

    def __init__(self, sleep: Sleep) -> None:
        self._sleep = sleep

    async def wait(self, name: str, interval_s: float) -> None:
        """Return when task `name` should run again."""
        await self._sleep(interval_s)


class LockstepPace(Pace):
    """Replay: tasks run in a fixed order, one at a time, when the driver opens a round.

    The replay driver moves the simulated clock, then calls `run_round()`: each task in
    `order` whose interval has elapsed is released and the driver waits until it comes
    back to `wait` (its work done) before releasing the next. The order of work is
    therefore the same on every run, which makes the proposals of a seed reproducible.
    """

    def __init__(self, clock: Clock, order: list[str], stall_s: float = 10.0) -> None:
        super().__init__(clock_sleep(clock))
        self._clock = clock
        self._order = list(order)
        self._stall_s = stall_s
        self._due_ms: dict[str, int] = {}
        self._go: dict[str, asyncio.Event] = {}
        self._back: dict[str, asyncio.Event] = {}
        self.stalls = 0

    async def wait(self, name: str, interval_s: float) -> None:
        """Report this task's turn done, then wait to be released again."""
        if name not in self._order:
            await super().wait(name, interval_s)
            return
        go = self._go.setdefault(name, asyncio.Event())
        back = self._back.setdefault(name, asyncio.Event())
        first = name not in self._due_ms
        self._due_ms[name] = self._clock.now_ms() + (0 if first else int(interval_s * 1000))
        go.clear()
        back.set()
        await go.wait()

    async def run_round(self) -> None:
        """Release each due task in order and wait for it to finish its turn."""
        now = self._clock.now_ms()
        for name in self._order:
            due = self._due_ms.get(name)
            if due is None or due > now:
                continue
            back = self._back[name]
            back.clear()
            self._go[name].set()
            try:
                await asyncio.wait_for(back.wait(), self._stall_s)
            except TimeoutError:
                # The task died mid-turn; the supervisor restarts it and it re-registers.
                self.stalls += 1
