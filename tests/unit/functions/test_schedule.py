"""functions.schedule: New York windows from UTC crons, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.schedule import fired_at_ms, in_reconcile_window, is_report_time
from tradier.clock import from_datetime


def utc(*parts: int) -> int:
    return from_datetime(datetime(*parts, tzinfo=UTC))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 7, 15, 20, 15), True),  # EDT: 16:15 New York
        (utc(2026, 7, 15, 21, 15), False),  # EDT: 17:15
        (utc(2026, 12, 15, 20, 15), False),  # EST: 15:15
        (utc(2026, 12, 15, 21, 15), True),  # EST: 16:15
        (utc(2026, 3, 6, 21, 15), True),  # Friday before DST starts (EST)
        (utc(2026, 3, 9, 20, 15), True),  # Monday after DST starts (EDT)
        (utc(2026, 10, 30, 20, 15), True),  # Friday before DST ends (EDT)
        (utc(2026, 11, 2, 21, 15), True),  # Monday after DST ends (EST)
        (utc(2026, 11, 21, 21, 15), False),  # Saturday
    ],
)
def test_is_report_time_when_utc_cron_fires_then_only_the_new_york_16h_run(
    moment: int, expected: bool
) -> None:
    assert is_report_time(moment) is expected


def test_report_crons_when_any_weekday_of_the_year_then_exactly_one_runs() -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    for offset in range(365):
        moment = from_datetime(day) + offset * 86_400_000
        date = datetime.fromtimestamp(moment / 1000, tz=UTC)
        if date.weekday() >= 5:
            continue
        runs = [
            is_report_time(from_datetime(date.replace(hour=hour, minute=15))) for hour in (20, 21)
        ]
        assert runs.count(True) == 1, date


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 7, 15, 13, 24), False),  # 09:24 EDT: the window opens at 09:25
        (utc(2026, 7, 15, 13, 25), True),
        (utc(2026, 7, 15, 20, 20), True),  # 16:20 EDT
        (utc(2026, 7, 15, 20, 21), False),
        (utc(2026, 12, 15, 14, 30), True),  # 09:30 EST
        (utc(2026, 12, 15, 13, 30), False),  # 08:30 EST
        (utc(2026, 12, 15, 21, 10), True),  # 16:10 EST
        (utc(2026, 11, 21, 15, 0), False),  # Saturday
    ],
)
def test_in_reconcile_window_when_utc_minute_then_new_york_market_hours(
    moment: int, expected: bool
) -> None:
    assert in_reconcile_window(moment) is expected


def test_fired_at_ms_when_eventbridge_time_then_parsed_else_fallback() -> None:
    assert fired_at_ms({"time": "2026-11-20T21:15:00Z"}, 0) == utc(2026, 11, 20, 21, 15)
    assert fired_at_ms({"time": "yesterday"}, 42) == 42
    assert fired_at_ms({}, 7) == 7
