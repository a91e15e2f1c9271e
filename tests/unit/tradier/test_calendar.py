"""The NYSE calendar rules (TRADIER.md §5 Calendar/Clock)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tradier.calendar import (
    EARLY_CLOSE,
    MarketState,
    calendar_day_json,
    early_closes,
    easter,
    holidays,
    next_trading_day,
    previous_trading_day,
    read_clock,
    sessions_until,
    trading_day,
)
from tradier.clock import NEW_YORK, from_datetime

NYSE_2026_HOLIDAYS = {
    date(2026, 1, 1),
    date(2026, 1, 19),
    date(2026, 2, 16),
    date(2026, 4, 3),
    date(2026, 5, 25),
    date(2026, 6, 19),
    date(2026, 7, 3),
    date(2026, 9, 7),
    date(2026, 11, 26),
    date(2026, 12, 25),
}


def test_holidays_when_2026_then_match_nyse_published_list() -> None:
    assert set(holidays(2026)) == NYSE_2026_HOLIDAYS


def test_early_closes_when_2026_then_day_after_thanksgiving_and_christmas_eve() -> None:
    # July 4 2026 is a Saturday: observed Friday July 3, so no July early close.
    assert set(early_closes(2026)) == {date(2026, 11, 27), date(2026, 12, 24)}
    assert trading_day(date(2026, 11, 27)).close == EARLY_CLOSE


def test_early_closes_when_july_4_midweek_then_july_3_closes_early() -> None:
    assert date(2029, 7, 3) in early_closes(2029)  # July 4 2029 is a Wednesday
    assert date(2025, 7, 3) in early_closes(2025)  # Thursday before a Friday July 4


@pytest.mark.parametrize(
    ("year", "good_friday"),
    [
        (2024, date(2024, 3, 29)),
        (2025, date(2025, 4, 18)),
        (2026, date(2026, 4, 3)),
        (2027, date(2027, 3, 26)),
    ],
)
def test_good_friday_when_computed_then_two_days_before_easter(
    year: int, good_friday: date
) -> None:
    assert holidays(year)[good_friday] == "Good Friday"
    assert (easter(year) - good_friday).days == 2


def test_juneteenth_when_before_2022_then_not_a_holiday() -> None:
    assert date(2021, 6, 18) not in holidays(2021)
    assert date(2021, 6, 19) not in holidays(2021)
    assert date(2022, 6, 20) in holidays(2022)  # Sunday June 19 observed Monday


def test_new_year_when_saturday_then_friday_before_stays_open() -> None:
    assert trading_day(date(2021, 12, 31)).is_open
    assert date(2022, 1, 1) not in holidays(2022)
    assert date(2023, 1, 2) in holidays(2023)  # Sunday Jan 1 observed Monday


def test_christmas_when_saturday_then_observed_friday_and_no_eve_early_close() -> None:
    assert date(2021, 12, 24) in holidays(2021)
    assert date(2021, 12, 24) not in early_closes(2021)


def test_trading_day_navigation_when_weekend_and_holiday_then_skipped() -> None:
    assert next_trading_day(date(2026, 4, 2)) == date(2026, 4, 6)  # Good Friday + weekend
    assert previous_trading_day(date(2026, 1, 20)) == date(2026, 1, 16)


def _ms(y: int, mo: int, d: int, h: int, mi: int) -> int:
    return from_datetime(datetime(y, mo, d, h, mi, tzinfo=NEW_YORK))


@pytest.mark.parametrize(
    ("when", "state", "next_change", "next_state"),
    [
        (_ms(2026, 11, 18, 6, 0), MarketState.CLOSED, "07:00", MarketState.PREMARKET),
        (_ms(2026, 11, 18, 8, 0), MarketState.PREMARKET, "09:30", MarketState.OPEN),
        (_ms(2026, 11, 18, 12, 0), MarketState.OPEN, "16:00", MarketState.POSTMARKET),
        (_ms(2026, 11, 18, 17, 0), MarketState.POSTMARKET, "20:00", MarketState.CLOSED),
        (_ms(2026, 11, 18, 21, 0), MarketState.CLOSED, "07:00", MarketState.PREMARKET),
        (_ms(2026, 11, 27, 14, 0), MarketState.POSTMARKET, "17:00", MarketState.CLOSED),
        (_ms(2026, 11, 26, 12, 0), MarketState.CLOSED, "07:00", MarketState.PREMARKET),
    ],
)
def test_read_clock_when_time_of_day_then_tradier_state(
    when: int, state: MarketState, next_change: str, next_state: MarketState
) -> None:
    reading = read_clock(when, follow_calendar=True)
    assert (reading.state, reading.next_change, reading.next_state) == (
        state,
        next_change,
        next_state,
    )


def test_read_clock_when_calendar_off_then_always_open() -> None:
    assert read_clock(_ms(2026, 11, 26, 3, 0), follow_calendar=False).state is MarketState.OPEN


def test_calendar_day_json_when_closed_then_only_date_status_description() -> None:
    closed = calendar_day_json(date(2026, 12, 25))
    assert set(closed) == {"date", "status", "description"}
    half = calendar_day_json(date(2026, 12, 24))
    assert half["open"] == {"start": "09:30", "end": "13:00"}
    assert half["premarket"] == {"start": "07:00", "end": "09:24"}


@pytest.mark.parametrize(
    ("today", "expiry", "sessions"),
    [
        (date(2026, 12, 11), date(2026, 12, 14), 1),  # Friday -> Monday: one session
        (date(2026, 12, 10), date(2026, 12, 14), 2),
        (date(2026, 12, 14), date(2026, 12, 14), 0),  # expiry day itself
        (date(2026, 12, 15), date(2026, 12, 14), 0),
        (date(2026, 12, 23), date(2026, 12, 28), 2),  # Christmas Day is not a session
    ],
)
def test_sessions_until_when_weekends_and_holidays_between_then_trading_sessions_only(
    today: date, expiry: date, sessions: int
) -> None:
    assert sessions_until(today, expiry) == sessions


def test_calendar_when_every_day_2000_to_2035_then_same_as_exchange_calendars_xnys() -> None:
    # an independent oracle: every session, closure and early close of the NYSE
    import warnings
    from datetime import timedelta

    xc = pytest.importorskip("exchange_calendars")
    first, last = date(2000, 1, 1), date(2035, 12, 31)
    with warnings.catch_warnings():
        # the oracle's own use of pandas is deprecated upstream; not ours to fix
        warnings.simplefilter("ignore")
        xnys = xc.get_calendar("XNYS", start=first.isoformat(), end=last.isoformat())
        closes = {
            s.date(): c.tz_convert("America/New_York").time()
            for s, c in zip(xnys.sessions, xnys.closes, strict=True)
        }
    differences = []
    day = first
    while day <= last:
        ours = trading_day(day)
        theirs = closes.get(day)
        if ours.is_open != (theirs is not None) or (ours.is_open and ours.close != theirs):
            differences.append((day, ours.close if ours.is_open else None, theirs))
        day += timedelta(days=1)
    assert differences == []


def test_trading_day_when_special_closure_then_closed_with_its_reason() -> None:
    sandy = trading_day(date(2012, 10, 29))
    assert not sandy.is_open and "Hurricane Sandy" in sandy.description
    assert next_trading_day(date(2012, 10, 26)) == date(2012, 10, 31)
    assert trading_day(date(2002, 7, 5)).is_half_day
    assert not trading_day(date(2002, 7, 3)).is_half_day
