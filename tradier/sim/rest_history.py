"""REST handlers for bars: /markets/history and /markets/timesales (naive ET times)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from aiohttp import web

from tradier.calendar import MarketState, trading_day
from tradier.clock import NEW_YORK, from_datetime, to_new_york
from tradier.sim.core import SimCore
from tradier.sim.rest_common import bad_request, core_of
from tradier.sim.wire import respond, wrapped


async def history(request: web.Request) -> web.Response:
    """GET /v1/markets/history?symbol=&interval=daily|weekly|monthly&start=&end=."""
    core = core_of(request)
    symbol = request.query.get("symbol", "").upper()
    interval = request.query.get("interval", "daily")
    if interval not in ("daily", "weekly", "monthly"):
        return bad_request(
            request, "Invalid parameter, interval: must be daily, weekly or monthly."
        )
    today = core.venue.today()
    try:
        end = date.fromisoformat(request.query.get("end", today.isoformat()))
        start = date.fromisoformat(
            request.query.get("start", (end - timedelta(days=30)).isoformat())
        )
    except ValueError:
        return bad_request(request, "Invalid parameter, start/end: must be YYYY-MM-DD.")
    if request.query.get("session_filter", "all") not in ("all", "open"):
        return bad_request(request, "Invalid parameter, session_filter: must be all or open.")
    source = core.venue.source
    if core.venue.state(symbol) is None:
        return respond(request, {"history": None})
    end = min(end, today)
    start = max(start, end - timedelta(days=3 * 366))
    bars: list[dict[str, Any]] = []
    day = start
    while day <= end:
        if not trading_day(day).is_open:
            # Daily and longer bars exist only for exchange trading days, even when the
            # simulator runs always-open: a weekend bar would be a day no one traded.
            day += timedelta(days=1)
            continue
        bar = _today_bar(core, symbol) if day == today else source.daily_bar(symbol, day)
        if bar is not None:
            o, h, lo, c, v = bar
            bars.append(
                {"date": day.isoformat(), "open": o, "high": h, "low": lo, "close": c, "volume": v}
            )
        day += timedelta(days=1)
    bars = _roll_up(bars, interval)
    return respond(request, wrapped("history", "day", bars))


def _today_bar(core: SimCore, symbol: str) -> tuple[float, float, float, float, int] | None:
    state = core.venue.state(symbol)
    if state is None or state.open is None or state.high is None or state.low is None:
        return None
    return (state.open, state.high, state.low, state.last, state.volume)


def _roll_up(bars: list[dict[str, Any]], interval: str) -> list[dict[str, Any]]:
    if interval == "daily" or not bars:
        return bars
    groups: dict[str, list[dict[str, Any]]] = {}
    for bar in bars:
        d = date.fromisoformat(bar["date"])
        key = (
            (d - timedelta(days=d.weekday())).isoformat()
            if interval == "weekly"
            else (d.replace(day=1).isoformat())
        )
        groups.setdefault(key, []).append(bar)
    return [
        {
            "date": key,
            "open": g[0]["open"],
            "high": max(b["high"] for b in g),
            "low": min(b["low"] for b in g),
            "close": g[-1]["close"],
            "volume": sum(b["volume"] for b in g),
        }
        for key, g in groups.items()
    ]


def _parse_et(raw: str | None, default: datetime) -> datetime:
    if not raw:
        return default
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).replace(tzinfo=NEW_YORK)
        except ValueError:
            continue
    raise ValueError(raw)


async def timesales(request: web.Request) -> web.Response:
    """GET /v1/markets/timesales: prints (tick) or bars with naive ET `time` strings."""
    core = core_of(request)
    symbol = request.query.get("symbol", "").upper()
    interval = request.query.get("interval", "tick")
    minutes = {"tick": 0, "1min": 1, "5min": 5, "15min": 15}.get(interval)
    if minutes is None:
        return bad_request(
            request, "Invalid parameter, interval: must be tick, 1min, 5min or 15min."
        )
    session_filter = request.query.get("session_filter", "all")
    if session_filter not in ("all", "open"):
        return bad_request(request, "Invalid parameter, session_filter: must be all or open.")
    if core.venue.state(symbol) is None:
        return respond(request, {"series": None})
    now = core.clock.now_ms()
    local_now = to_new_york(now)
    day_start = local_now.replace(hour=9, minute=30, second=0, microsecond=0)
    try:
        start = _parse_et(request.query.get("start"), day_start)
        end = _parse_et(request.query.get("end"), local_now)
    except ValueError:
        return bad_request(request, "Invalid parameter, start/end: must be YYYY-MM-DD HH:MM.")
    start_ms, end_ms = from_datetime(start), min(from_datetime(end), now)
    regular_only = session_filter == "open"
    if minutes == 0:
        ticks = _ticks(core, symbol, start_ms, end_ms, regular_only)
        return respond(request, wrapped("series", "data", ticks))
    rows: list[dict[str, Any]] = []
    day = start.date()
    while day <= end.date():
        bars = core.venue.source.minute_bars(symbol, day)
        rows.extend(_series(bars, start_ms, end_ms, minutes, core, regular_only))
        day += timedelta(days=1)
    return respond(request, wrapped("series", "data", rows))


MAX_TICKS = 50_000  # a day of SPY prints is about 23,000


def _ticks(
    core: SimCore, symbol: str, start_ms: int, end_ms: int, regular_only: bool
) -> list[dict[str, Any]]:
    """Every print in [start, end): time, timestamp (s), price, volume (its size)."""
    rows: list[dict[str, Any]] = []
    for trade in core.venue.source.trades_between(symbol, start_ms, end_ms):
        if regular_only and core.venue.market_state(trade.ms) is not MarketState.OPEN:
            continue
        rows.append(
            {
                "time": to_new_york(trade.ms).strftime("%Y-%m-%dT%H:%M:%S"),
                "timestamp": trade.ms // 1000,
                "price": trade.price,
                "volume": trade.size,
            }
        )
        if len(rows) >= MAX_TICKS:
            break
    return rows


def _series(
    bars: list[tuple[int, float, float, float, float, int]],
    start_ms: int,
    end_ms: int,
    minutes: int,
    core: SimCore,
    regular_only: bool,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    bucket: list[tuple[int, float, float, float, float, int]] = []
    span = minutes * 60_000

    def flush() -> None:
        if not bucket:
            return
        t0 = bucket[0][0] - bucket[0][0] % span
        vol = sum(b[5] for b in bucket)
        close = bucket[-1][4]
        vwap = sum((b[2] + b[3] + b[4]) / 3 * b[5] for b in bucket) / vol if vol else close
        rows.append(
            {
                "time": to_new_york(t0).strftime("%Y-%m-%dT%H:%M:%S"),
                "timestamp": t0 // 1000,
                "price": close,
                "open": bucket[0][1],
                "high": max(b[2] for b in bucket),
                "low": min(b[3] for b in bucket),
                "close": close,
                "volume": vol,
                "vwap": round(vwap, 4),
            }
        )
        bucket.clear()

    for bar in bars:
        t = bar[0]
        if t < start_ms or t + 60_000 > end_ms:
            continue
        if regular_only and core.venue.market_state(t) is not MarketState.OPEN:
            continue
        if bucket and (bucket[0][0] // span) != (t // span):
            flush()
        bucket.append(bar)
    flush()
    return rows
