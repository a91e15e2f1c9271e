"""History and time and sales for every kind of symbol and every documented interval, held
to TRADIER.md §5 and docs/market-data.md over real HTTP."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tests.functional.sim.conftest import Sim
from tests.functional.sim.universe_support import UNDERLYINGS
from tradier.calendar import trading_day


@pytest.mark.parametrize("symbol", UNDERLYINGS)
async def test_history_when_daily_then_trading_days_only(sim: Sim, symbol: str) -> None:
    """TRADIER.md §5 (history): one bar per exchange trading day, none for weekends or
    Thanksgiving; an index has no volume."""
    body = (
        await sim.http.get(
            "/markets/history",
            params={"symbol": symbol, "interval": "daily", "start": "2026-10-19"},
        )
    ).json()
    days = [date.fromisoformat(b["date"]) for b in body["history"]["day"]]
    expected = [
        date(2026, 10, 19) + timedelta(days=k)
        for k in range(31)
        if trading_day(date(2026, 10, 19) + timedelta(days=k)).is_open
    ]
    assert days == expected
    for bar in body["history"]["day"]:
        assert bar["low"] <= min(bar["open"], bar["close"]) <= max(bar["open"], bar["close"])
        assert max(bar["open"], bar["close"]) <= bar["high"]
    assert (body["history"]["day"][0]["volume"] == 0) == (symbol in ("SPX", "XSP"))


@pytest.mark.parametrize("sim", [{"follow_calendar": False}], indirect=True)
async def test_history_when_always_open_then_still_no_weekend_bars(sim: Sim) -> None:
    """Daily and longer bars exist only for trading days, even when the simulator runs
    always-open (issue 12)."""
    body = (
        await sim.http.get(
            "/markets/history", params={"symbol": "SPY", "start": "2026-11-01", "end": "2026-11-10"}
        )
    ).json()
    days = [date.fromisoformat(b["date"]) for b in body["history"]["day"]]
    assert days and all(d.weekday() < 5 for d in days)


@pytest.mark.parametrize("interval", ["weekly", "monthly"])
async def test_history_when_weekly_or_monthly_then_rolled_up(sim: Sim, interval: str) -> None:
    """TRADIER.md §5: weekly and monthly bars, each from its trading days."""
    body = (
        await sim.http.get(
            "/markets/history",
            params={"symbol": "AAPL", "interval": interval, "start": "2026-06-01"},
        )
    ).json()
    bars = body["history"]["day"]
    assert isinstance(bars, list) and len(bars) >= 3
    firsts = [date.fromisoformat(b["date"]) for b in bars]
    if interval == "weekly":
        assert all(d.weekday() == 0 for d in firsts)
    else:
        assert all(d.day == 1 for d in firsts)


@pytest.mark.parametrize("symbol", UNDERLYINGS)
@pytest.mark.parametrize("interval", ["1min", "5min", "15min"])
async def test_timesales_when_bars_then_spacing_of_interval(
    sim: Sim, symbol: str, interval: str
) -> None:
    """TRADIER.md §5 Time and sales: naive ET times, one row per interval."""
    body = (
        await sim.http.get(
            "/markets/timesales",
            params={
                "symbol": symbol,
                "interval": interval,
                "start": "2026-11-18 09:30",
                "end": "2026-11-18 10:30",
                "session_filter": "open",
            },
        )
    ).json()
    rows = body["series"]["data"]
    step = int(interval.removesuffix("min")) * 60
    stamps = [r["timestamp"] for r in rows]
    assert rows[0]["time"] == "2026-11-18T09:30:00"
    assert all(b - a == step for a, b in itertools.pairwise(stamps))


async def test_timesales_when_tick_then_prints_and_session_filter_applies(sim: Sim) -> None:
    """TRADIER.md §5 Time and sales, interval=tick (the default): one row per print;
    session_filter=open drops the premarket ones."""
    params = {"symbol": "AAPL", "start": "2026-11-18 09:00", "end": "2026-11-18 09:45"}
    every = (await sim.http.get("/markets/timesales", params=params)).json()["series"]["data"]
    regular = (
        await sim.http.get("/markets/timesales", params={**params, "session_filter": "open"})
    ).json()["series"]["data"]
    assert set(every[0]) == {"time", "timestamp", "price", "volume"}
    assert len(regular) < len(every)
    assert every[0]["time"] < "2026-11-18T09:30:00" <= regular[0]["time"]
    stamps = [r["timestamp"] for r in every]
    assert stamps == sorted(stamps)


async def test_timesales_when_unknown_interval_or_filter_then_400(sim: Sim) -> None:
    """Bad input gets a 400 naming the parameter."""
    bad_interval = await sim.http.get(
        "/markets/timesales", params={"symbol": "AAPL", "interval": "2min"}
    )
    bad_filter = await sim.http.get(
        "/markets/timesales", params={"symbol": "AAPL", "session_filter": "pre"}
    )
    assert bad_interval.status_code == 400 and "interval" in bad_interval.text
    assert bad_filter.status_code == 400 and "session_filter" in bad_filter.text
