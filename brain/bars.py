"""One-minute bars from trades, session-aware in New York time, with explicit gaps.

Rules (the ones a strategy can rely on):
- Bars are built from trades only; quotes never make a bar.
- A bar covers one New York minute `[start_ms, start_ms + 60_000)`. It closes when a trade
  of a later minute arrives or when `flush(now_ms)` is called at or after its end.
- A minute without trades produces no bar. The next bar carries `gap_before`: the number
  of missing minutes since the previous bar of the same New York date (0 for the first
  bar of a date, so the overnight pause is not counted as a gap).
- `tradex` prints (extended-hours trades) are used only outside the regular session;
  inside it Tradier sends the same prints as `trade`, so they are counted in
  `extended_in_regular` and dropped rather than counted twice.
- A trade older than the open bar (or, with no open bar, in or before the last closed
  bar's minute) is late: it is counted in `late_dropped` and never merged into the wrong
  minute. Trades with a size of 0 or less or a non-positive price are counted in
  `bad_dropped` (Tradier re-sends stale zero-size ticks on idle symbols).
- With `not_after` (a callable giving the latest believable time, e.g. the clock plus a
  minute), a trade that would open a bar beyond it is counted in `future_dropped` and
  dropped: one corrupt timestamp must not open a bar hours ahead and make every later
  trade look late. It is checked only when a trade opens a new minute.
- Each bar is tagged with its session: `pre` (04:00 to the open), `regular` (09:30 to the
  close, 13:00 on half days), `post` (the close to 20:00, 17:00 on half days) or `closed`
  (weekends, holidays, overnight). Session times come from an injectable day-info
  function; the default follows the NYSE rules in `tradier.calendar`, and the live
  brain may pass one built from Tradier's own calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from tradier.calendar import REGULAR_OPEN, TradingDay, trading_day
from tradier.clock import NEW_YORK, to_new_york

MINUTE_MS = 60_000
EXTENDED_START = time(4, 0)  # trades print from 04:00 ET, before Tradier's premarket state


class Session(StrEnum):
    """Which part of the trading day a bar belongs to."""

    PRE = "pre"
    REGULAR = "regular"
    POST = "post"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Bar:
    """One closed one-minute bar of one symbol (floats: the hot path never uses Decimal)."""

    symbol: str
    start_ms: int
    open: float
    high: float
    low: float
    close: float
    volume: int
    trades: int
    vwap: float
    session: Session
    gap_before: int = 0
    # New York calendar date as a proleptic ordinal and minute of that day (0..1439), so
    # indicators that care about time of day (opening range) never convert timezones.
    ny_day: int = 0
    ny_minute: int = 0
    notional: float = 0.0  # sum of price * size over the bar's trades

    @property
    def end_ms(self) -> int:
        """The first millisecond after the bar."""
        return self.start_ms + MINUTE_MS


@dataclass(frozen=True, slots=True)
class DayHours:
    """One New York date's session boundaries in UTC epoch ms (pre/regular/post)."""

    ny_day: int
    day_start_ms: int
    next_day_ms: int
    pre_ms: int
    open_ms: int
    close_ms: int
    post_end_ms: int
    is_open: bool


def _at(day: date, t: time) -> int:
    return int(datetime.combine(day, t, tzinfo=NEW_YORK).timestamp() * 1000)


class SessionCalendar:
    """Maps a timestamp to its session, caching one New York date at a time."""

    __slots__ = ("_cache", "_current", "_day_info")

    def __init__(self, day_info: Callable[[date], TradingDay] = trading_day) -> None:
        self._day_info = day_info
        self._cache: dict[int, DayHours] = {}
        self._current: DayHours | None = None

    def hours(self, ts_ms: int) -> DayHours:
        """The session boundaries of the New York date that contains `ts_ms`."""
        cur = self._current
        if cur is not None and cur.day_start_ms <= ts_ms < cur.next_day_ms:
            return cur
        day = to_new_york(ts_ms).date()
        found = self._cache.get(day.toordinal())
        if found is None:
            found = self._build(day)
            if len(self._cache) > 64:  # bounded: replays walk forward through dates
                self._cache.clear()
            self._cache[found.ny_day] = found
        self._current = found
        return found

    def _build(self, day: date) -> DayHours:
        info = self._day_info(day)
        start = _at(day, time(0, 0))
        nxt = _at(day + timedelta(days=1), time(0, 0))
        if not info.is_open:
            return DayHours(day.toordinal(), start, nxt, nxt, nxt, nxt, nxt, False)
        return DayHours(
            day.toordinal(),
            start,
            nxt,
            _at(day, EXTENDED_START),
            _at(day, REGULAR_OPEN),
            _at(day, info.close),
            _at(day, info.postmarket_end),
            True,
        )

    def session_of(self, ts_ms: int) -> Session:
        """The session `ts_ms` falls in."""
        return _session_at(self.hours(ts_ms), ts_ms)


def _session_at(h: DayHours, ts_ms: int) -> Session:
    if ts_ms < h.pre_ms:
        return Session.CLOSED
    if ts_ms < h.open_ms:
        return Session.PRE
    if ts_ms < h.close_ms:
        return Session.REGULAR
    if ts_ms < h.post_end_ms:
        return Session.POST
    return Session.CLOSED


class BarBuilder:
    """Builds one symbol's one-minute bars from its trades (O(1) per trade).

    The open bar's sums are readable (`open_regular_sums`) so the session VWAP covers
    the latest trade without per-trade work of its own.
    """

    __slots__ = (
        "_calendar",
        "_close",
        "_cur",
        "_gap",
        "_high",
        "_last",
        "_last_day",
        "_low",
        "_n",
        "_not_after",
        "_open",
        "_pv",
        "_vol",
        "bad_dropped",
        "day",
        "extended_in_regular",
        "future_dropped",
        "late_dropped",
        "minute",
        "session",
        "symbol",
    )

    def __init__(
        self,
        symbol: str,
        calendar: SessionCalendar | None = None,
        not_after: Callable[[], int] | None = None,
    ) -> None:
        self.symbol = symbol
        self._not_after = not_after
        self.future_dropped = 0
        self._calendar = calendar or SessionCalendar()
        self.late_dropped = 0
        self.bad_dropped = 0
        self.extended_in_regular = 0
        self._last = -1  # start of the most recent bar, open or closed
        self._last_day = -1
        self._cur = -1  # start of the open bar, -1 when none is open
        self.session = Session.CLOSED  # session of the open (or last) bar
        self.day = 0
        self.minute = 0
        self._open = self._high = self._low = self._close = self._pv = 0.0
        self._vol = 0
        self._n = 0
        self._gap = 0

    @property
    def last_price(self) -> float | None:
        """Price of the latest accepted trade, None before any."""
        return self._close if self._last >= 0 else None

    def open_regular_sums(self) -> tuple[int, float, int] | None:
        """(New York date, sum of price*size, volume) of the open bar if it is a
        regular-session bar, else None."""
        if self._cur >= 0 and self.session is Session.REGULAR:
            return self.day, self._pv, self._vol
        return None

    @property
    def is_open(self) -> bool:
        """True while a bar is being built."""
        return self._cur >= 0

    def on_trade(self, price: float, size: int, ts_ms: int, extended: bool = False) -> Bar | None:
        """Add one trade; returns the bar it closed, if it started a new minute.

        `extended` marks a `tradex` print: it is used only outside the regular session
        (inside it the same prints also arrive as `trade`) and counted otherwise.
        """
        m = ts_ms - ts_ms % 60_000
        if m == self._cur:
            if size <= 0 or price <= 0.0:
                self.bad_dropped += 1
                return None
            if extended and self.session is Session.REGULAR:
                self.extended_in_regular += 1
                return None
            if price > self._high:
                self._high = price
            elif price < self._low:
                self._low = price
            self._close = price
            self._vol += size
            self._n += 1
            self._pv += price * size
            return None
        if m <= self._last:
            self.late_dropped += 1
            return None
        if size <= 0 or price <= 0.0:
            self.bad_dropped += 1
            return None
        if self._not_after is not None and m > self._not_after():
            self.future_dropped += 1
            return None
        h = self._calendar.hours(m)
        session = _session_at(h, m)
        if extended and session is Session.REGULAR:
            self.extended_in_regular += 1
            return None
        closed = self._emit() if self._cur >= 0 else None
        self._start(m, price, size, h, session)
        return closed

    def flush(self, now_ms: int) -> Bar | None:
        """Close the open bar if its minute has ended by `now_ms` (called by a timer)."""
        if self._cur >= 0 and now_ms >= self._cur + MINUTE_MS:
            return self._emit()
        return None

    def _start(self, m: int, price: float, size: int, h: DayHours, session: Session) -> None:
        self._gap = (m - self._last) // MINUTE_MS - 1 if h.ny_day == self._last_day else 0
        self.session = session
        self.day = h.ny_day
        self.minute = (m - h.day_start_ms) // MINUTE_MS
        self._last = self._cur = m
        self._last_day = h.ny_day
        self._open = self._high = self._low = self._close = price
        self._vol = size
        self._n = 1
        self._pv = price * size

    def _emit(self) -> Bar:
        bar = Bar(
            self.symbol,
            self._cur,
            self._open,
            self._high,
            self._low,
            self._close,
            self._vol,
            self._n,
            self._pv / self._vol,
            self.session,
            self._gap,
            self.day,
            self.minute,
            self._pv,
        )
        self._cur = -1
        return bar
