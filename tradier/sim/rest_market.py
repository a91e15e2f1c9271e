"""REST handlers under /v1/markets: quotes, clock, calendar and the stream session."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiohttp import web

from tradier.calendar import MarketState, calendar_day_json, read_clock
from tradier.sim.core import SimCore
from tradier.sim.option_roots import roots_of
from tradier.sim.rest_common import TOKEN, bad_request, core_of, flag, params_of
from tradier.sim.rest_options import option_quote
from tradier.sim.symbols import SymbolState
from tradier.sim.wire import listing, respond


def equity_quote(core: SimCore, state: SymbolState) -> dict[str, Any]:
    """An underlying's /markets/quotes entry."""
    spec = core.venue.spec(state.symbol)
    assert spec is not None  # a state exists only for a known symbol
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
        "root_symbols": ",".join(roots_of(state.symbol)) or None,
    }


async def quotes(request: web.Request) -> web.Response:
    """GET/POST /v1/markets/quotes."""
    core = core_of(request)
    params = await params_of(request)
    raw = params.get("symbols", "")
    symbols = [s.strip() for s in raw.split(",") if s.strip()]
    if not symbols:
        return bad_request(request, "Invalid parameter, symbols: is required.")
    with_greeks = flag(params.get("greeks"))
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
    core = core_of(request)
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
    core = core_of(request)
    today = core.venue.today()
    try:
        month = int(request.query.get("month", today.month))
        year = int(request.query.get("year", today.year))
        first = date(year, month, 1)
    except ValueError:
        return bad_request(request, "Invalid parameter, month/year: not a calendar month.")
    days = []
    day = first
    while day.month == month:
        days.append(calendar_day_json(day))
        day += timedelta(days=1)
    return respond(
        request, {"calendar": {"month": month, "year": year, "days": {"day": listing(days)}}}
    )


async def create_session(request: web.Request) -> web.Response:
    """POST /v1/markets/events/session: a stream session (401 for sandbox tokens)."""
    core = core_of(request)
    token = request.get(TOKEN, "")
    if token in core.config.sandbox_tokens:
        return web.Response(status=401, text="Invalid Access Token", content_type="text/plain")
    sid = core.stream.create_session()
    host = request.host
    return respond(
        request, {"stream": {"url": f"http://{host}/v1/markets/events", "sessionid": sid}}
    )
