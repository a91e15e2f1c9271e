"""One-minute bars: minute boundaries, sessions in New York time, gaps, late trades."""

from __future__ import annotations

from datetime import date, datetime

from brain.bars import BarBuilder, Session, SessionCalendar
from brain.market import SymbolState
from tradier.clock import NEW_YORK

MONDAY = date(2026, 11, 9)


def ny(h: int, m: int, s: float = 0.0, day: date = MONDAY) -> int:
    """Epoch ms of a New York wall-clock time."""
    dt = datetime(day.year, day.month, day.day, h, m, tzinfo=NEW_YORK)
    return int(dt.timestamp() * 1000) + int(s * 1000)


def test_bar_when_trades_in_one_minute_then_closed_by_next_minutes_trade() -> None:
    b = BarBuilder("SPY")
    assert b.on_trade(100.0, 10, ny(9, 30, 1)) is None
    assert b.on_trade(101.5, 30, ny(9, 30, 20)) is None
    assert b.on_trade(99.5, 10, ny(9, 30, 40)) is None
    assert b.on_trade(100.5, 50, ny(9, 30, 59.999)) is None
    bar = b.on_trade(102.0, 5, ny(9, 31, 0))
    assert bar is not None
    assert (bar.open, bar.high, bar.low, bar.close) == (100.0, 101.5, 99.5, 100.5)
    assert (bar.volume, bar.trades, bar.start_ms) == (100, 4, ny(9, 30))
    assert bar.vwap == (100.0 * 10 + 101.5 * 30 + 99.5 * 10 + 100.5 * 50) / 100
    assert (bar.session, bar.ny_minute, bar.gap_before) == (Session.REGULAR, 570, 0)


def test_bar_when_minutes_without_trades_then_no_fabricated_bars_and_gap_counted() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 1, ny(9, 30, 5))
    first = b.on_trade(100.0, 1, ny(9, 34, 5))
    assert first is not None and first.start_ms == ny(9, 30)
    second = b.on_trade(101.0, 1, ny(9, 35, 1))
    assert second is not None and second.start_ms == ny(9, 34)
    assert second.gap_before == 3


def test_bar_when_first_trade_of_a_new_date_then_gap_is_zero() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 1, ny(15, 59))
    b.on_trade(100.0, 1, ny(9, 30, day=date(2026, 11, 10)))
    bar = b.on_trade(100.0, 1, ny(9, 31, day=date(2026, 11, 10)))
    assert bar is not None and bar.gap_before == 0


def test_bar_when_late_trade_older_than_open_bar_then_dropped_and_counted() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 10, ny(9, 30, 1))
    b.on_trade(100.0, 10, ny(9, 31, 1))  # closes 09:30; 09:31 open
    assert b.on_trade(150.0, 999, ny(9, 30, 30)) is None
    assert b.late_dropped == 1
    bar = b.on_trade(101.0, 1, ny(9, 32))
    assert bar is not None and bar.high == 100.0 and bar.volume == 10


def test_bar_when_trade_of_a_flushed_minute_arrives_then_late() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 10, ny(9, 30, 1))
    bar = b.flush(ny(9, 31, 0.5))
    assert bar is not None and not b.is_open
    assert b.on_trade(100.0, 10, ny(9, 30, 59)) is None
    assert b.late_dropped == 1 and not b.is_open


def test_flush_when_minute_not_over_then_nothing_and_when_over_then_bar() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 10, ny(9, 30, 1))
    assert b.flush(ny(9, 30, 59.999)) is None
    bar = b.flush(ny(9, 31))
    assert bar is not None and bar.close == 100.0
    assert b.flush(ny(9, 32)) is None


def test_bar_when_zero_size_or_bad_price_then_dropped_as_bad() -> None:
    b = BarBuilder("SPY")
    b.on_trade(100.0, 0, ny(9, 30, 1))
    assert not b.is_open
    b.on_trade(100.0, 5, ny(9, 30, 2))
    b.on_trade(0.0, 5, ny(9, 30, 3))
    b.on_trade(100.0, 0, ny(9, 30, 4))
    bar = b.flush(ny(9, 31))
    assert bar is not None and bar.volume == 5 and bar.low == 100.0
    assert b.bad_dropped == 3


def test_session_when_times_of_a_regular_day_then_pre_regular_post_closed() -> None:
    cal = SessionCalendar()
    assert cal.session_of(ny(3, 59)) is Session.CLOSED
    assert cal.session_of(ny(4, 0)) is Session.PRE
    assert cal.session_of(ny(9, 29, 59.999)) is Session.PRE
    assert cal.session_of(ny(9, 30)) is Session.REGULAR
    assert cal.session_of(ny(15, 59, 59.999)) is Session.REGULAR
    assert cal.session_of(ny(16, 0)) is Session.POST
    assert cal.session_of(ny(20, 0)) is Session.CLOSED


def test_session_when_weekend_holiday_or_half_day_then_calendar_followed() -> None:
    cal = SessionCalendar()
    assert cal.session_of(ny(10, 0, day=date(2026, 11, 14))) is Session.CLOSED  # Saturday
    assert cal.session_of(ny(10, 0, day=date(2026, 11, 26))) is Session.CLOSED  # Thanksgiving
    half = date(2026, 11, 27)
    assert cal.session_of(ny(12, 59, day=half)) is Session.REGULAR
    assert cal.session_of(ny(13, 0, day=half)) is Session.POST
    assert cal.session_of(ny(17, 0, day=half)) is Session.CLOSED


def test_bar_when_summer_time_then_open_is_0930_new_york_not_utc() -> None:
    b = BarBuilder("SPY")
    july = date(2026, 7, 14)
    b.on_trade(100.0, 1, ny(9, 30, 10, day=july))
    bar = b.flush(ny(9, 31, day=july))
    assert bar is not None
    assert (bar.session, bar.ny_minute) == (Session.REGULAR, 570)
    assert bar.start_ms % 86_400_000 == (13 * 60 + 30) * 60_000  # 13:30 UTC in EDT


def test_vwap_when_pre_market_late_and_new_day_then_only_regular_trades_of_today() -> None:
    st = SymbolState("SPY")
    b = st.builder
    b.on_trade(50.0, 100, ny(8, 0))  # pre-market: not in the session VWAP
    assert st.vwap.live_value is None and not st.vwap.initialized
    b.on_trade(100.0, 100, ny(9, 30, 1))
    b.on_trade(110.0, 100, ny(9, 30, 2))
    assert st.vwap.live_value == 105.0  # the open bar counts at once
    assert st.vwap.value is None  # as of the last closed bar: none yet
    closed = b.on_trade(120.0, 200, ny(9, 31, 2))
    assert closed is not None
    st.apply_bar(closed)
    assert st.vwap.value == 105.0
    assert st.vwap.live_value == (100.0 * 100 + 110.0 * 100 + 120.0 * 200) / 400
    b.on_trade(999.0, 100, ny(9, 29))  # late: neither in a bar nor in the VWAP
    assert st.vwap.live_value == 112.5
    b.on_trade(200.0, 100, ny(9, 30, 1, day=date(2026, 11, 10)))
    assert st.vwap.live_value == 200.0  # a new session starts with its first trade
