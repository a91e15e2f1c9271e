from dataclasses import dataclass
from datetime import date, time, timedelta

from brain.schedule import MarketSchedule
from tradier.clock import ManualClock, to_utc


@dataclass
class Hours:
    start: time
    end: time


@dataclass
class Day:
    date: date
    status: str
    open: Hours | None


class FakeCalendar:
    """Tradier's calendar for a few days: a holiday, a half day, DST changes."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    async def calendar(self, year: int, month: int):
        self.calls.append((year, month))
        days = []
        first = date(year, month, 1)
        for offset in range(31):
            day = first + timedelta(days=offset)
            if day.month != month:
                break
            if day.weekday() >= 5 or day == date(2026, 11, 26):
                days.append(Day(day, "closed", None))
            elif day == date(2026, 11, 27):
                days.append(Day(day, "open", Hours(time(9, 30), time(13, 0))))
            else:
                days.append(Day(day, "open", Hours(time(9, 30), time(16, 0))))
        return days


async def test_schedule_when_half_day_then_disconnect_after_1pm_close():
    schedule = MarketSchedule(FakeCalendar(), ManualClock(0))
    window = await schedule.window_for(date(2026, 11, 27))
    assert window is not None
    assert to_utc(window.close_ms).time() == time(18, 0)  # 13:00 EST
    assert window.disconnect_ms - window.close_ms == 5 * 60_000
    assert window.open_ms - window.connect_ms == 10 * 60_000


async def test_schedule_when_holiday_then_next_window_is_next_trading_day():
    thanksgiving_morning = 1_795_694_400_000  # 2026-11-26 09:00 UTC
    schedule = MarketSchedule(FakeCalendar(), ManualClock(thanksgiving_morning))
    window = await schedule.next_window()
    assert window is not None and window.day == date(2026, 11, 27)


async def test_schedule_when_daylight_saving_changes_then_open_moves_in_utc():
    schedule = MarketSchedule(FakeCalendar(), ManualClock(0))
    before = await schedule.window_for(date(2026, 3, 6))  # EST
    after = await schedule.window_for(date(2026, 3, 9))  # EDT (DST began 2026-03-08)
    assert before is not None and after is not None
    assert to_utc(before.open_ms).time() == time(14, 30)
    assert to_utc(after.open_ms).time() == time(13, 30)


async def test_schedule_when_after_close_then_tomorrow_and_month_cached():
    calendar = FakeCalendar()
    evening = 1_795_045_200_000  # 2026-11-18 21:00 UTC, after the close
    schedule = MarketSchedule(calendar, ManualClock(evening))
    window = await schedule.next_window()
    assert window is not None and window.day == date(2026, 11, 19)
    await schedule.next_window()
    assert calendar.calls == [(2026, 11)]
