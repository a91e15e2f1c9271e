"""Following Tradier's clock and calendar: when to connect and when to disconnect.

Trading days, holidays and half days come from `GET /markets/calendar` (times in New York);
session bounds are built with zoneinfo, so daylight-saving changes need nothing special.
The brain connects `pre_open` before the open (to be warmed up and streaming at 09:30)
and disconnects `post_close` after the close (13:00 on half days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from tradier.clock import NEW_YORK, Clock, from_datetime, to_new_york


class CalendarSource(Protocol):
    """The market calendar (the Tradier client satisfies it)."""

    async def calendar(self, year: int, month: int) -> list[Any]:
        """Days of one month."""
        ...


@dataclass(frozen=True, slots=True)
class Window:
    """One trading day's streaming window, UTC epoch ms."""

    day: date
    open_ms: int
    close_ms: int
    connect_ms: int
    disconnect_ms: int


def _at(day: date, t: time) -> int:
    return from_datetime(datetime.combine(day, t, tzinfo=NEW_YORK))


class MarketSchedule:
    """Streaming windows from the calendar, cached per month."""

    def __init__(
        self,
        calendar: CalendarSource,
        clock: Clock,
        pre_open: timedelta = timedelta(minutes=10),
        post_close: timedelta = timedelta(minutes=5),
    ) -> None:
        self._calendar = calendar
        self._clock = clock
        self._pre = int(pre_open.total_seconds() * 1000)
        self._post = int(post_close.total_seconds() * 1000)
        self._months: dict[tuple[int, int], dict[date, Any]] = {}

    async def _month(self, year: int, month: int) -> dict[date, Any]:
        key = (year, month)
        if key not in self._months:
            days = await self._calendar.calendar(year, month)
            self._months[key] = {d.date: d for d in days}
        return self._months[key]

    async def window_for(self, day: date) -> Window | None:
        """The window of `day`, or None when the market is closed that day."""
        info = (await self._month(day.year, day.month)).get(day)
        if info is None or info.status != "open" or info.open is None:
            return None
        open_ms, close_ms = _at(day, info.open.start), _at(day, info.open.end)
        return Window(day, open_ms, close_ms, open_ms - self._pre, close_ms + self._post)

    async def next_window(self, now_ms: int | None = None, horizon_days: int = 14) -> Window | None:
        """The current window, or the next one within `horizon_days`."""
        now = self._clock.now_ms() if now_ms is None else now_ms
        day = to_new_york(now).date()
        for offset in range(horizon_days + 1):
            window = await self.window_for(day + timedelta(days=offset))
            if window is not None and window.disconnect_ms > now:
                return window
        return None
