"""REST handlers for options: expirations, strikes, chains, and the option quote shape."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from aiohttp import web

from tradier.clock import to_new_york
from tradier.occ import OptionType, underlying_of
from tradier.sim.core import SimCore
from tradier.sim.option_roots import roots_of
from tradier.sim.options import (
    OptionMark,
    chain_symbols,
    expiration_types,
    expirations,
    parse_listed,
    strikes,
)
from tradier.sim.rest_common import core_of, flag
from tradier.sim.wire import listing, respond


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
    listed = expiration_types(occ.root, to_new_york(now_ms).date())
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
        "underlying": underlying_of(occ.root),
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


def _roots(core: SimCore, symbol: str, include_all: bool = True) -> tuple[str, ...]:
    return roots_of(symbol, include_all) if core.venue.knows(symbol) else ()


def _listed_for(
    core: SimCore, symbol: str, include_all: bool = True
) -> list[tuple[date, str, str]]:
    """(date, expiration_type, root) for every series of the symbol, by date."""
    today = core.venue.today()
    listed = [
        (d, kind, root)
        for root in _roots(core, symbol, include_all)
        for d, kind in expirations(root, today)
    ]
    return sorted(listed)


def _strikes_on(core: SimCore, symbol: str, expiration: date, roots: list[str]) -> list[float]:
    today = core.venue.today()
    ref = core.venue.reference(symbol, today)
    merged = {k for root in roots for k in strikes(root, expiration, today, ref)}
    return [float(k) for k in sorted(merged)]


async def option_expirations(request: web.Request) -> web.Response:
    """GET /v1/markets/options/expirations (dates, or objects with any extra flag). An
    index's PM-settled roots (SPXW, NDXP, RUTW, VIXW) appear only with includeAllRoots."""
    core = core_of(request)
    q = request.query
    symbol = q.get("symbol", "").upper()
    listed = _listed_for(core, symbol, flag(q.get("includeAllRoots")))
    if not listed:
        return respond(request, {"expirations": None})
    detailed = any(flag(q.get(k)) for k in ("strikes", "contractSize", "expirationType"))
    if not detailed:
        dates = sorted({d.isoformat() for d, _, _ in listed})
        return respond(request, {"expirations": {"date": listing(dates)}})
    by_date: dict[date, tuple[str, list[str]]] = {}
    for d, kind, root in listed:
        _, roots = by_date.setdefault(d, (kind, []))
        roots.append(root)
    items = []
    for d, (kind, roots) in sorted(by_date.items()):
        item: dict[str, Any] = {
            "date": d.isoformat(),
            "contract_size": 100,
            "expiration_type": kind,
        }
        if flag(q.get("strikes")):
            item["strikes"] = {"strike": _strikes_on(core, symbol, d, roots)}
        items.append(item)
    return respond(request, {"expirations": {"expiration": listing(items)}})


def _series_on(request: web.Request, core: SimCore, symbol: str) -> tuple[date, list[str]] | None:
    """The requested expiration and the roots listing it, None when nothing expires then."""
    try:
        wanted = date.fromisoformat(request.query.get("expiration", ""))
    except ValueError:
        return None
    roots = [root for d, _, root in _listed_for(core, symbol) if d == wanted]
    return (wanted, roots) if roots else None


async def option_strikes(request: web.Request) -> web.Response:
    """GET /v1/markets/options/strikes?symbol=&expiration=."""
    core = core_of(request)
    symbol = request.query.get("symbol", "").upper()
    series = _series_on(request, core, symbol)
    if series is None:
        return respond(request, {"strikes": None})
    listed = _strikes_on(core, symbol, *series)
    return respond(request, {"strikes": {"strike": listing(listed)}})


async def option_chains(request: web.Request) -> web.Response:
    """GET /v1/markets/options/chains?symbol=&expiration=&greeks= (every root expiring
    that day: SPX and SPXW both list the third Friday)."""
    core = core_of(request)
    symbol = request.query.get("symbol", "").upper()
    series = _series_on(request, core, symbol)
    if series is None:
        return respond(request, {"options": None})
    expiration, roots = series
    now = core.clock.now_ms()
    today = core.venue.today(now)
    ref = core.venue.reference(symbol, today)
    with_greeks = flag(request.query.get("greeks"))
    out = []
    for root in roots:
        for sym in chain_symbols(root, expiration, today, ref):
            occ = parse_listed(sym)
            if occ is None:
                continue
            mark = core.venue.option_mark(occ, now)
            out.append(option_quote(core, mark, now, with_greeks))
    return respond(request, {"options": {"option": listing(out)}})


async def option_lookup(request: web.Request) -> web.Response:
    """GET /v1/markets/options/lookup?underlying=: every listed OCC symbol, per root
    (`{"symbols": [{"rootSymbol", "options": [...]}]}`, docs/market-data.md)."""
    core = core_of(request)
    symbol = request.query.get("underlying", "").upper()
    today = core.venue.today()
    ref = core.venue.reference(symbol, today) if core.venue.knows(symbol) else 0.0
    roots = []
    for root in _roots(core, symbol):
        options = [
            occ for d, _ in expirations(root, today) for occ in chain_symbols(root, d, today, ref)
        ]
        roots.append({"rootSymbol": root, "options": options})
    return respond(request, {"symbols": roots or None})
