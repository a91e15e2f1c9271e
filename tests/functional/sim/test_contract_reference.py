"""Lookup, search, the easy-to-borrow list and company fundamentals (docs/market-data.md:
TRADIER.md is silent on them) over real HTTP."""

from __future__ import annotations

import pytest

from tests.functional.sim.conftest import Sim


@pytest.mark.parametrize(
    ("q", "first"), [("AAPL", "AAPL"), ("BRK", "BRK/A"), ("SPX", "SPX"), ("ZZZZ", "ZZZZ")]
)
async def test_lookup_when_symbol_prefix_then_securities(sim: Sim, q: str, first: str) -> None:
    """Lookup (docs/market-data.md): symbols starting with q, an exact match first."""
    body = (await sim.http.get("/markets/lookup", params={"q": q})).json()
    found = body["securities"]["security"]
    found = found if isinstance(found, list) else [found]
    assert found[0]["symbol"] == first
    assert set(found[0]) == {"symbol", "exchange", "type", "description"}


async def test_lookup_when_types_and_exchanges_then_filtered(sim: Sim) -> None:
    """Lookup's types and exchanges filters; nothing found is a null wrapper."""
    etfs = (
        await sim.http.get("/markets/lookup", params={"q": "X", "types": "etf", "exchanges": "P"})
    ).json()["securities"]["security"]
    assert etfs and all(s["type"] == "etf" and s["exchange"] == "P" for s in etfs)
    indexes = (await sim.http.get("/markets/lookup", params={"q": "XSP", "types": "index"})).json()[
        "securities"
    ]["security"]
    assert indexes["symbol"] == "XSP"
    none = (await sim.http.get("/markets/lookup", params={"q": "ZZZZ9"})).json()
    assert none == {"securities": None}


async def test_search_when_company_name_then_found_and_indexes_optional(sim: Sim) -> None:
    """Search (docs/market-data.md): by words of the name; indexes=false leaves them out."""
    apple = (await sim.http.get("/markets/search", params={"q": "apple"})).json()
    assert apple["securities"]["security"]["symbol"] == "AAPL"
    with_index = (await sim.http.get("/markets/search", params={"q": "s&p 500"})).json()
    without = (
        await sim.http.get("/markets/search", params={"q": "s&p 500", "indexes": "false"})
    ).json()
    symbols = {s["symbol"] for s in with_index["securities"]["security"]}
    assert "SPX" in symbols and "SPY" in symbols
    assert "SPX" not in {s["symbol"] for s in without["securities"]["security"]}


async def test_etb_when_asked_then_liquid_names_not_the_wild_ones(sim: Sim) -> None:
    """ETB (docs/market-data.md): the easy-to-borrow list."""
    listed = (await sim.http.get("/markets/etb")).json()["securities"]["security"]
    symbols = {s["symbol"] for s in listed}
    assert {"AAPL", "SPY", "BRK/B"} <= symbols
    assert not {"GME", "SPX", "ZZZZ"} & symbols


async def test_company_when_symbols_then_profile_marked_generated(sim: Sim) -> None:
    """Company fundamentals (beta, docs/market-data.md): one entry per symbol, the
    profile marked as generated; an impossible symbol has no results."""
    response = await sim.raw.get(
        "/beta/markets/fundamentals/company",
        params={"symbols": "AAPL,ZZZZ9"},
        headers=sim.http.headers,
    )
    assert response.status_code == 200
    aapl, bad = response.json()
    profile = aapl["results"][0]["tables"]["company_profile"]
    assert aapl["request"] == "AAPL" and profile["short_name"] == "Apple Inc"
    assert profile["generated"] is True
    assert bad == {"request": "ZZZZ9", "type": "Symbol", "results": []}
