"""REST handlers under /v1/markets: quotes, clock, calendar, options, history, timesales."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from tradier.clock import NEW_YORK, from_datetime, to_new_york
from tradier.occ import OptionType
from tradier.sim.calendar import MarketState, calendar_day_json, read_clock
from tradier.sim.core import SimCore
from tradier.sim.options import (
    OptionMark,
    chain_symbols,
    expirations,
    parse_listed,
    strikes,
)
from tradier.sim.symbols import SymbolState, spec_for
from tradier.sim.wire import errors_body, listing, respond, wrapped

CORE = web.AppKey("sim_core", SimCore)
TOKEN = web.RequestKey("sim_token", str)


def _core(request: web.Request) -> SimCore:
    return request.app[CORE]


def _bad(request: web.Request, message: str) -> web.Response:
    return respond(request, errors_body([message]), status=400)


async def _params(request: web.Request) -> dict[str, str]:
    params = {k: v for k, v in request.query.items()}
    if request.method == "POST" and request.can_read_body:
        form = await request.post()
        params.update({k: str(v) for k, v in form.items()})
    return params


def _flag(value: str | None) -> bool:
    return (value or "").lower() == "true"


def equity_quote(core: SimCore, state: SymbolState) -> dict[str, Any]:
    """An underlying's /markets/quotes entry."""
    spec = spec_for(state.symbol)
    closed = core.venue.market_state(state.ms) in (MarketState.POSTMARKET, MarketState.CLOSED)
    change = round(state.last - state.prevclose, 2)
    return {
        "symbol": state.symbol,
        "description": spec.description,
        "exch": spec.exch,
        "type": spec.kind,
        "last": state.last,
        "change": change,
        "volume": state.volume,
        "open": state.open,
        "high": state.high,
        "low": state.low,
        "close": state.last if closed and state.open is not None else None,
        "bid": state.bid,
        "ask": state.ask,
        "change_percentage": round(change / state.prevclose * 100, 2) if state.prevclose else 0,
        "average_volume": spec.daily_volume,
        "last_volume": state.last_size,
        "trade_date": state.last_ms,
        "prevclose": state.prevclose,
        "week_52_high": round(state.prevclose * 1.12, 2),
        "week_52_low": round(state.prevclose * 0.84, 2),
        "bidsize": state.bidsz,
        "bidexch": state.bidexch,
        "bid_date": state.ms,
        "asksize": state.asksz,
        "askexch": state.askexch,
        "ask_date": state.ms,
        "root_symbols": state.symbol if not spec.quote_only else None,
    }


def _greeks(core: SimCore, mark: OptionMark, now_ms: int) -> dict[str, Any]:
    # ORATS greeks update about hourly: computed at the top of the hour, stamped with it.
    hour_ms = now_ms - now_ms % 3_600_000
    stale = core.venue.option_mark(mark.occ, hour_ms)
    g = stale.greeks
    stamp = datetime.fromtimestamp(hour_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "delta": round(g.delta, 6),
        "gamma": round(g.gamma, 6),
        "theta": round(g.theta, 6),
        "vega": round(g.vega, 6),
        "rho": round(g.rho, 6),
        "phi": round(g.phi, 6),
        "bid_iv": round(stale.bid_iv, 6),
        "mid_iv": round(stale.iv, 6),
        "ask_iv": round(stale.ask_iv, 6),
        "smv_vol": round(stale.iv, 3),
        "updated_at": stamp,
    }


def option_quote(core: SimCore, mark: OptionMark, now_ms: int, greeks: bool) -> dict[str, Any]:
    """An option's quote (quotes and chains)."""
    occ = mark.occ
    kind = "Call" if occ.option_type is OptionType.CALL else "Put"
    listed = dict(expirations(occ.root, to_new_york(now_ms).date()))
    last = round(mark.theo, 2)
    body: dict[str, Any] = {
        "symbol": mark.symbol,
        "description": f"{occ.root} {occ.expiration:%b %d %Y} ${float(occ.strike):.2f} {kind}",
        "exch": "Z",
        "type": "option",
        "last": last,
        "change": 0.0,
        "volume": 0,
        "open": None,
        "high": None,
        "low": None,
        "close": None,
        "bid": mark.bid,
        "ask": mark.ask,
        "underlying": occ.root,
        "strike": float(occ.strike),
        "change_percentage": 0.0,
        "average_volume": 0,
        "last_volume": 0,
        "trade_date": now_ms - now_ms % 60_000,
        "prevclose": last,
        "week_52_high": 0.0,
        "week_52_low": 0.0,
        "bidsize": 10,
        "bidexch": "C",
        "bid_date": now_ms,
        "asksize": 10,
        "askexch": "C",
        "ask_date": now_ms,
        "open_interest": 1000,
        "contract_size": 100,
        "expiration_date": occ.expiration.isoformat(),
        "expiration_type": listed.get(occ.expiration, "standard"),
        "option_type": occ.option_type.value,
        "root_symbol": occ.root,
    }
    if greeks:
        body["greeks"] = _greeks(core, mark, now_ms)
    return body


async def quotes(request: web.Request) -> web.Response:
    """GET/POST /v1/markets/quotes."""
    core = _core(request)
    params = await _params(request)
    raw = params.get("symbols", "")
    symbols = [s.strip() for s in raw.split(",") if s.strip()]
    if not symbols:
        return _bad(request, "Invalid parameter, symbols: is required.")
    with_greeks = _flag(params.get("greeks"))
    now = core.clock.now_ms()
    found: list[dict[str, Any]] = []
    unmatched: list[str] = []
    for sym in symbols:
        state = core.venue.state(sym.upper(), now)
        if state is not None:
            found.append(equity_quote(core, state))
            continue
        mark = core.venue.option(sym.upper(), now)
        if mark is not None:
            found.append(option_quote(core, mark, now, with_greeks))
        else:
            unmatched.append(sym)
    body: dict[str, Any] = {}
    if found:
        body["quote"] = listing(found)
    if unmatched:
        body["unmatched_symbols"] = {"symbol": listing(unmatched)}
    return respond(request, {"quotes": body})


async def clock(request: web.Request) -> web.Response:
    """GET /v1/markets/clock: timestamp in epoch seconds."""
    core = _core(request)
    now = core.clock.now_ms()
    reading = read_clock(now, core.config.follow_calendar)
    return respond(
        request,
        {
            "clock": {
                "date": reading.day.isoformat(),
                "description": reading.description,
                "state": reading.state.value,
                "timestamp": now // 1000,
                "next_change": reading.next_change,
                "next_state": reading.next_state.value,
            }
        },
    )


async def calendar(request: web.Request) -> web.Response:
    """GET /v1/markets/calendar?month=&year= (always the real exchange calendar)."""
    core = _core(request)
    today = core.venue.today()
    try:
        month = int(request.query.get("month", today.month))
        year = int(request.query.get("year", today.year))
        first = date(year, month, 1)
    except ValueError:
        return _bad(request, "Invalid parameter, month/year: not a calendar month.")
    days = []
    day = first
    while day.month == month:
        days.append(calendar_day_json(day))
        day += timedelta(days=1)
    return respond(
        request, {"calendar": {"month": month, "year": year, "days": {"day": listing(days)}}}
    )


def _listed_for(core: SimCore, symbol: str) -> tuple[tuple[date, str], ...]:
    if symbol not in core.venue.symbols:
        return ()
    return expirations(symbol, core.venue.today())


async def option_expirations(request: web.Request) -> web.Response:
    """GET /v1/markets/options/expirations (dates, or objects with any extra flag)."""
    core = _core(request)
    symbol = request.query.get("symbol", "").upper()
    listed = _listed_for(core, symbol)
    if not listed:
        return respond(request, {"expirations": None})
    q = request.query
    detailed = any(_flag(q.get(k)) for k in ("strikes", "contractSize", "expirationType"))
    if not detailed:
        return respond(
            request, {"expirations": {"date": listing([d.isoformat() for d, _ in listed])}}
        )
    today = core.venue.today()
    ref = core.venue.reference(symbol, today)
    items = []
    for d, kind in listed:
        item: dict[str, Any] = {
            "date": d.isoformat(),
            "contract_size": 100,
            "expiration_type": kind,
        }
        if _flag(q.get("strikes")):
            item["strikes"] = {"strike": [float(k) for k in strikes(symbol, d, today, ref)]}
        items.append(item)
    return respond(request, {"expirations": {"expiration": listing(items)}})


def _expiration_param(request: web.Request, core: SimCore, symbol: str) -> date | None:
    try:
        wanted = date.fromisoformat(request.query.get("expiration", ""))
    except ValueError:
        return None
    return wanted if wanted in dict(_listed_for(core, symbol)) else None


async def option_strikes(request: web.Request) -> web.Response:
    """GET /v1/markets/options/strikes?symbol=&expiration=."""
    core = _core(request)
    symbol = request.query.get("symbol", "").upper()
    expiration = _expiration_param(request, core, symbol)
    if expiration is None:
        return respond(request, {"strikes": None})
    today = core.venue.today()
    listed = strikes(symbol, expiration, today, core.venue.reference(symbol, today))
    return respond(request, {"strikes": {"strike": listing([float(k) for k in listed])}})


async def option_chains(request: web.Request) -> web.Response:
    """GET /v1/markets/options/chains?symbol=&expiration=&greeks=."""
    core = _core(request)
    symbol = request.query.get("symbol", "").upper()
    expiration = _expiration_param(request, core, symbol)
    if expiration is None:
        return respond(request, {"options": None})
    now = core.clock.now_ms()
    today = core.venue.today(now)
    with_greeks = _flag(request.query.get("greeks"))
    out = []
    for sym in chain_symbols(symbol, expiration, today, core.venue.reference(symbol, today)):
        occ = parse_listed(sym)
        if occ is None:
            continue
        mark = core.venue.option_mark(occ, now)
        out.append(option_quote(core, mark, now, with_greeks))
    return respond(request, {"options": {"option": listing(out)}})


async def history(request: web.Request) -> web.Response:
    """GET /v1/markets/history?symbol=&interval=daily|weekly|monthly&start=&end=."""
    core = _core(request)
    symbol = request.query.get("symbol", "").upper()
    interval = request.query.get("interval", "daily")
    if interval not in ("daily", "weekly", "monthly"):
        return _bad(request, "Invalid parameter, interval: must be daily, weekly or monthly.")
    today = core.venue.today()
    try:
        end = date.fromisoformat(request.query.get("end", today.isoformat()))
        start = date.fromisoformat(
            request.query.get("start", (end - timedelta(days=30)).isoformat())
        )
    except ValueError:
        return _bad(request, "Invalid parameter, start/end: must be YYYY-MM-DD.")
    source = core.venue.source
    if core.venue.state(symbol) is None:
        return respond(request, {"history": None})
    end = min(end, today)
    start = max(start, end - timedelta(days=3 * 366))
    bars: list[dict[str, Any]] = []
    day = start
    while day <= end:
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
    """GET /v1/markets/timesales: bars with naive ET `time` strings."""
    core = _core(request)
    symbol = request.query.get("symbol", "").upper()
    interval = request.query.get("interval", "1min")
    minutes = {"1min": 1, "5min": 5, "15min": 15}.get(interval)
    if minutes is None:
        return _bad(request, "Invalid parameter, interval: must be 1min, 5min or 15min.")
    if core.venue.state(symbol) is None:
        return respond(request, {"series": None})
    now = core.clock.now_ms()
    local_now = to_new_york(now)
    day_start = local_now.replace(hour=9, minute=30, second=0, microsecond=0)
    try:
        start = _parse_et(request.query.get("start"), day_start)
        end = _parse_et(request.query.get("end"), local_now)
    except ValueError:
        return _bad(request, "Invalid parameter, start/end: must be YYYY-MM-DD HH:MM.")
    start_ms, end_ms = from_datetime(start), min(from_datetime(end), now)
    regular_only = request.query.get("session_filter", "all") == "open"
    rows: list[dict[str, Any]] = []
    day = start.date()
    while day <= end.date():
        bars = core.venue.source.minute_bars(symbol, day)
        rows.extend(_series(bars, start_ms, end_ms, minutes, core, regular_only))
        day += timedelta(days=1)
    return respond(request, wrapped("series", "data", rows))


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


async def create_session(request: web.Request) -> web.Response:
    """POST /v1/markets/events/session: a stream session (401 for sandbox tokens)."""
    core = _core(request)
    token = request.get(TOKEN, "")
    if token in core.config.sandbox_tokens:
        return web.Response(status=401, text="Invalid Access Token", content_type="text/plain")
    sid = core.stream.create_session()
    host = request.host
    return respond(
        request, {"stream": {"url": f"http://{host}/v1/markets/events", "sessionid": sid}}
    )
