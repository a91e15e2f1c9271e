"""The NYSE trading calendar, computed from the rules for any year.

Holidays: New Year's Day, Martin Luther King Jr. Day, Washington's Birthday, Good Friday,
Memorial Day, Juneteenth (since 2022), Independence Day, Labor Day, Thanksgiving and
Christmas. A holiday on a Sunday is observed the Monday after and one on a Saturday the
Friday before, except New Year's Day: the NYSE does not close on the Friday, Dec 31.
Early closes (13:00 ET): the day after Thanksgiving, Christmas Eve and July 3 when those are
trading days. The rules cannot know history's one-off events: the special closures and
early closes of 2000-2030 are in the tables below (checked day by day against the XNYS
calendar of `exchange_calendars` in the tests), so a replay over history never trades on
a day the market was shut.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from tradier.clock import NEW_YORK, from_datetime, to_new_york

PREMARKET_START = time(7, 0)
PREMARKET_END = time(9, 24)
REGULAR_OPEN = time(9, 30)
REGULAR_CLOSE = time(16, 0)
EARLY_CLOSE = time(13, 0)
POSTMARKET_END = time(20, 0)
EARLY_POSTMARKET_END = time(17, 0)


# Full-day closures the holiday rules do not produce.
SPECIAL_CLOSURES: dict[date, str] = {
    date(2001, 9, 11): "the September 11 attacks",
    date(2001, 9, 12): "the September 11 attacks",
    date(2001, 9, 13): "the September 11 attacks",
    date(2001, 9, 14): "the September 11 attacks",
    date(2004, 6, 11): "the National Day of Mourning for President Reagan",
    date(2007, 1, 2): "the National Day of Mourning for President Ford",
    date(2012, 10, 29): "Hurricane Sandy",
    date(2012, 10, 30): "Hurricane Sandy",
    date(2018, 12, 5): "the National Day of Mourning for President George H. W. Bush",
    date(2025, 1, 9): "the National Day of Mourning for President Carter",
}
# One-off 13:00 closes the rules do not produce, and rule early closes that did not happen.
SPECIAL_EARLY_CLOSES: dict[date, str] = {
    date(2002, 7, 5): "Independence Day early close",
    date(2003, 12, 26): "Christmas early close",
}
NOT_EARLY_CLOSES: frozenset[date] = frozenset({date(2002, 7, 3)})


class MarketState(StrEnum):
    """The clock states Tradier reports."""

    PREMARKET = "premarket"
    OPEN = "open"
    POSTMARKET = "postmarket"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class TradingDay:
    """One calendar day: closed, or open with its session times (ET)."""

    day: date
    is_open: bool
    description: str
    close: time = REGULAR_CLOSE
    postmarket_end: time = POSTMARKET_END

    @property
    def is_half_day(self) -> bool:
        """True for a 13:00 early close."""
        return self.is_open and self.close == EARLY_CLOSE


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[date, str]:
    """The NYSE full-day closures of `year`, with their names."""
    result: dict[date, str] = {}
    new_year = date(year, 1, 1)
    if new_year.weekday() == 6:
        result[new_year + timedelta(days=1)] = "New Year's Day"
    elif new_year.weekday() != 5:
        result[new_year] = "New Year's Day"
    result[_nth_weekday(year, 1, 0, 3)] = "Martin Luther King, Jr. Day"
    result[_nth_weekday(year, 2, 0, 3)] = "Washington's Birthday"
    result[easter(year) - timedelta(days=2)] = "Good Friday"
    result[_last_weekday(year, 5, 0)] = "Memorial Day"
    if year >= 2022:
        result[_observed(date(year, 6, 19))] = "Juneteenth National Independence Day"
    result[_observed(date(year, 7, 4))] = "Independence Day"
    result[_nth_weekday(year, 9, 0, 1)] = "Labor Day"
    result[_nth_weekday(year, 11, 3, 4)] = "Thanksgiving Day"
    result[_observed(date(year, 12, 25))] = "Christmas Day"
    result.update({d: name for d, name in SPECIAL_CLOSURES.items() if d.year == year})
    return result


@lru_cache(maxsize=64)
def early_closes(year: int) -> dict[date, str]:
    """The 13:00 ET early closes of `year`."""
    closed = holidays(year)
    candidates = {
        date(year, 7, 3): "Independence Day early close",
        _nth_weekday(year, 11, 3, 4) + timedelta(days=1): "Thanksgiving early close",
        date(year, 12, 24): "Christmas Eve early close",
    }
    candidates.update({d: n for d, n in SPECIAL_EARLY_CLOSES.items() if d.year == year})
    return {
        d: name
        for d, name in candidates.items()
        if d.weekday() < 5 and d not in closed and d not in NOT_EARLY_CLOSES
    }


def trading_day(day: date) -> TradingDay:
    """What the exchange does on `day`."""
    if day.weekday() >= 5:
        return TradingDay(day, False, "Market is closed")
    name = holidays(day.year).get(day)
    if name is not None:
        return TradingDay(day, False, f"Market is closed for {name}")
    early = early_closes(day.year).get(day)
    if early is not None:
        return TradingDay(day, True, early, EARLY_CLOSE, EARLY_POSTMARKET_END)
    return TradingDay(day, True, "Market is open")


def next_trading_day(day: date) -> date:
    """The first open day strictly after `day`."""
    nxt = day + timedelta(days=1)
    while not trading_day(nxt).is_open:
        nxt += timedelta(days=1)
    return nxt


def previous_trading_day(day: date) -> date:
    """The last open day strictly before `day`."""
    prev = day - timedelta(days=1)
    while not trading_day(prev).is_open:
        prev -= timedelta(days=1)
    return prev


def sessions_until(today: date, expiry: date) -> int:
    """Trading sessions after `today` up to and including `expiry` (0 on expiry day or
    after): a Friday before a Monday expiry has 1, however many calendar days lie between."""
    count = 0
    day = today
    while day < expiry:
        day = next_trading_day(day)
        if day <= expiry:
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class ClockReading:
    """The market clock at one instant, as Tradier's /markets/clock reports it."""

    day: date
    state: MarketState
    description: str
    next_change: str
    next_state: MarketState


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def read_clock(now_ms: int, follow_calendar: bool = True) -> ClockReading:
    """Market state at `now_ms`; without the calendar the market is always open."""
    local = to_new_york(now_ms)
    today = local.date()
    if not follow_calendar:
        return ClockReading(
            today,
            MarketState.OPEN,
            "Market is open from 09:30 to 16:00",
            _hhmm(REGULAR_CLOSE),
            MarketState.POSTMARKET,
        )
    info = trading_day(today)
    now_t = local.time()
    if info.is_open:
        desc = f"Market is open from {_hhmm(REGULAR_OPEN)} to {_hhmm(info.close)}"
        if now_t < PREMARKET_START:
            return ClockReading(
                today, MarketState.CLOSED, desc, _hhmm(PREMARKET_START), MarketState.PREMARKET
            )
        if now_t < REGULAR_OPEN:
            return ClockReading(
                today, MarketState.PREMARKET, desc, _hhmm(REGULAR_OPEN), MarketState.OPEN
            )
        if now_t < info.close:
            return ClockReading(
                today, MarketState.OPEN, desc, _hhmm(info.close), MarketState.POSTMARKET
            )
        if now_t < info.postmarket_end:
            return ClockReading(
                today, MarketState.POSTMARKET, desc, _hhmm(info.postmarket_end), MarketState.CLOSED
            )
    return ClockReading(
        today, MarketState.CLOSED, info.description, _hhmm(PREMARKET_START), MarketState.PREMARKET
    )


def session_bounds_ms(day: date) -> tuple[int, int] | None:
    """Regular-session open and close of `day` in epoch ms, or None when closed."""
    info = trading_day(day)
    if not info.is_open:
        return None
    start = datetime.combine(day, REGULAR_OPEN, tzinfo=NEW_YORK)
    end = datetime.combine(day, info.close, tzinfo=NEW_YORK)
    return from_datetime(start), from_datetime(end)


def calendar_day_json(day: date) -> dict[str, object]:
    """One `day` entry of /markets/calendar; closed days carry only date, status, description."""
    info = trading_day(day)
    if not info.is_open:
        return {"date": day.isoformat(), "status": "closed", "description": info.description}
    return {
        "date": day.isoformat(),
        "status": "open",
        "description": info.description,
        "premarket": {"start": _hhmm(PREMARKET_START), "end": _hhmm(PREMARKET_END)},
        "open": {"start": _hhmm(REGULAR_OPEN), "end": _hhmm(info.close)},
        "postmarket": {"start": _hhmm(info.close), "end": _hhmm(info.postmarket_end)},
    }
