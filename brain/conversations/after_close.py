"""After each close, the day's outcomes become insights: once per trading day.

The brain follows Tradier's calendar (`brain.schedule`): `AfterClose.step` waits for the
end of the next streaming window (the close plus the schedule's `post_close`, when the
brain disconnects and the day's last decisions are in), then calls `learn` once with
the `DayBook`'s outcomes of that day, the learner and the conversations' store, and logs
how many insights were stored. A day without outcomes asks nothing. A failure is logged
and never stops anything: trading does not depend on it. `run` steps forever (a
supervised task); a day already learned is never learned twice.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

from brain.conversations.daybook import DayBook
from brain.conversations.insights import Learner, learn
from brain.conversations.store import SessionStore
from brain.schedule import Window
from brain.timing import Sleep
from tradier.clock import Clock

log = logging.getLogger(__name__)
NO_WINDOW_WAIT_S = 3600.0


class Windows(Protocol):
    """The trading days' windows (`MarketSchedule` satisfies it)."""

    async def next_window(self) -> Window | None:
        """The current window, or the next one."""
        ...


class AfterClose:
    """Learns each trading day's insights once its window has ended."""

    def __init__(
        self,
        schedule: Windows,
        clock: Clock,
        sleep: Sleep,
        book: DayBook,
        learner: Learner,
        store: SessionStore,
    ) -> None:
        self.schedule = schedule
        self.clock = clock
        self.sleep = sleep
        self.book = book
        self.learner = learner
        self.store = store
        self.learned: date | None = None

    async def run(self) -> None:
        """Learn after every close, until cancelled."""
        while True:
            await self.step()

    async def step(self) -> int | None:
        """Wait for the end of the next window not yet learned, then learn its day; how many
        insights were stored (None when the calendar had no window to wait for)."""
        window = await self.schedule.next_window()
        if window is None:
            await self.sleep(NO_WINDOW_WAIT_S)
            return None
        wait_s = (window.disconnect_ms - self.clock.now_ms()) / 1000
        if wait_s > 0:
            await self.sleep(wait_s)
        if self.learned == window.day:
            return 0
        self.learned = window.day
        return await self.close_day(window.day)

    async def close_day(self, day: date) -> int:
        """Learn `day`'s insights from its outcomes; how many were stored (0 on failure)."""
        outcomes = self.book.outcomes(day)
        if not outcomes:
            log.info("insights for %s: no outcomes, none asked for", day)
            return 0
        try:
            stored = await learn(outcomes, self.learner, self.store, self.clock.now_ms())
        except Exception as exc:  # never a reason to stop trading
            log.exception("insights for %s failed: %s", day, type(exc).__name__)
            return 0
        log.info("insights for %s: %d stored from %d outcomes", day, len(stored), len(outcomes))
        return len(stored)
