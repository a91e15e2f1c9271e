"""Reference data: symbol lookup, company search, the easy-to-borrow list and company
fundamentals, answered from the symbol universe (docs/market-data.md has the shapes)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from aiohttp import web

from tradier.sim.rest_common import core_of, params_of
from tradier.sim.symbols import SymbolSpec
from tradier.sim.universe import known_specs, spec_for
from tradier.sim.wire import JSON_TYPE, listing, respond

MAX_RESULTS = 100
# Short sellers cannot borrow the wildest names easily: the table's symbols with an annual
# volatility of 80 % or more (GME, AMC, SOXL...) stay off the list, and so does anything
# generated (nobody has checked its borrow).
_HARD_TO_BORROW_VOL = 80.0 / 16.0


def _security(spec: SymbolSpec) -> dict[str, Any]:
    return {
        "symbol": spec.symbol,
        "exchange": spec.exch,
        "type": spec.kind,
        "description": spec.description,
    }


def _csv(raw: str | None) -> set[str] | None:
    values = {v.strip() for v in (raw or "").split(",") if v.strip()}
    return values or None


def _securities(request: web.Request, specs: list[SymbolSpec]) -> web.Response:
    items = [_security(s) for s in specs[:MAX_RESULTS]]
    # Market-data lists with nothing in them are a real null here, as chains are (README).
    body = {"securities": {"security": listing(items)}} if items else {"securities": None}
    return respond(request, body)


async def lookup(request: web.Request) -> web.Response:
    """GET /v1/markets/lookup?q=&exchanges=&types=: symbols starting with q."""
    params = await params_of(request)
    q = params.get("q", "").strip().upper()
    exchanges = _csv(params.get("exchanges"))
    types = _csv(params.get("types"))
    found = [s for s in known_specs() if s.symbol.startswith(q)]
    exact = spec_for(q) if q and not found else None
    if exact is not None:
        # A generated symbol exists once someone names it, but only where nothing real
        # matches: looking up BRK finds BRK/A and BRK/B, not an invented BRK.
        found.append(exact)
    found = [
        s
        for s in found
        if (exchanges is None or s.exch in exchanges) and (types is None or s.kind in types)
    ]
    found.sort(key=lambda s: (s.symbol != q, s.symbol))
    return _securities(request, found)


async def search(request: web.Request) -> web.Response:
    """GET /v1/markets/search?q=&indexes=: companies whose name contains every word of q."""
    params = await params_of(request)
    words = params.get("q", "").lower().split()
    with_indexes = params.get("indexes", "true").lower() != "false"
    found = [
        s
        for s in known_specs()
        if words
        and all(w in s.description.lower() for w in words)
        and (with_indexes or s.kind != "index")
    ]
    found.sort(key=lambda s: s.symbol)
    return _securities(request, found)


def easy_to_borrow() -> list[SymbolSpec]:
    """The simulator's easy-to-borrow list: traded table symbols that are not too wild."""
    return sorted(
        (s for s in known_specs() if not s.quote_only and s.option_vol < _HARD_TO_BORROW_VOL),
        key=lambda s: s.symbol,
    )


async def etb(request: web.Request) -> web.Response:
    """GET /v1/markets/etb: every easy-to-borrow security."""
    items = [_security(s) for s in easy_to_borrow()]
    return respond(request, {"securities": {"security": listing(items)}})


def _company(spec: SymbolSpec) -> dict[str, Any]:
    company_id = "0C" + hashlib.sha256(spec.symbol.encode()).hexdigest()[:8].upper()
    return {
        "type": "Company",
        "id": company_id,
        "tables": {
            "company_profile": {
                "company_id": company_id,
                "short_name": spec.description,
                "standard_name": spec.description,
                "exchange": spec.exch,
                "security_type": spec.kind,
                "average_volume": spec.daily_volume,
                "dividend_yield": round(spec.dividend * 100, 2),
                # Not a filing: the simulator made these numbers up.
                "generated": True,
            }
        },
    }


async def company(request: web.Request) -> web.Response:
    """GET /beta/markets/fundamentals/company?symbols=: one entry per requested symbol
    (JSON only, as Tradier's beta fundamentals are)."""
    core = core_of(request)
    params = await params_of(request)
    out: list[dict[str, Any]] = []
    for raw in params.get("symbols", "").split(","):
        symbol = raw.strip().upper()
        if not symbol:
            continue
        spec = core.venue.spec(symbol)
        results = [] if spec is None or spec.quote_only else [_company(spec)]
        out.append({"request": symbol, "type": "Symbol", "results": results})
    return web.Response(text=json.dumps(out, separators=(",", ":")), content_type=JSON_TYPE)
