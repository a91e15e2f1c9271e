"""Every well-formed symbol has a market: quotes, chains, expirations and strikes for a
table stock (AAPL), a generated one (ZZZZ), a share class (BRK/B), the S&P 500 index and
its roots (SPX, SPXW) and Mini-SPX (XSP), held to TRADIER.md §5 over real HTTP. Where
TRADIER.md is silent, docs/market-data.md says what is relied on."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.functional.sim.conftest import Sim
from tests.functional.sim.universe_support import CASES, UNDERLYINGS, et_ms, quote_of, series_of
from tradier.occ import parse_occ
from tradier.sim.option_roots import on_trading_day, third_friday


@pytest.mark.parametrize("symbol", UNDERLYINGS)
async def test_quotes_when_any_listed_or_wellformed_symbol_then_quoted(
    sim: Sim, symbol: str
) -> None:
    """TRADIER.md §5 Quotes: fields and types for every kind of underlying."""
    quote = await quote_of(sim, symbol)
    assert quote["symbol"] == symbol
    for key in ("last", "bid", "ask", "prevclose"):
        assert isinstance(quote[key], int | float) and quote[key] > 0, key
    kind = "index" if symbol in ("SPX", "XSP") else "stock"
    assert quote["type"] == kind


async def test_quotes_when_table_symbol_then_realistic_name_exchange_level(sim: Sim) -> None:
    """The shipped table makes AAPL look like AAPL; a generated symbol says it is."""
    aapl = await quote_of(sim, "AAPL")
    assert aapl["description"] == "Apple Inc" and aapl["exch"] == "Q"
    assert 100 < float(aapl["last"]) < 500  # type: ignore[arg-type]
    assert aapl["root_symbols"] == "AAPL"
    brk = await quote_of(sim, "BRK/B")
    assert brk["exch"] == "N" and brk["root_symbols"] == "BRKB"
    zzzz = await quote_of(sim, "ZZZZ")
    assert "generated" in str(zzzz["description"])


async def test_quotes_when_index_then_follows_its_etf_and_lists_all_roots(sim: Sim) -> None:
    """SPX is about ten SPY, XSP a tenth of SPX; an index has no volume of its own."""
    spx, xsp, spy = [await quote_of(sim, s) for s in ("SPX", "XSP", "SPY")]
    assert float(spx["last"]) == pytest.approx(10.02 * float(spy["last"]), rel=2e-3)  # type: ignore[arg-type]
    assert float(xsp["last"]) == pytest.approx(float(spx["last"]) / 10, rel=2e-3)  # type: ignore[arg-type]
    assert spx["volume"] == 0 and spx["root_symbols"] == "SPX,SPXW"


async def test_quotes_when_impossible_or_option_only_root_then_unmatched(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: what cannot be a symbol goes to unmatched_symbols (SPXW is an
    option root, not a security; BRK.B is written BRK/B, TRADIER.md §6.10)."""
    body = (
        await sim.http.get("/markets/quotes", params={"symbols": "AAPL,SPXW,TOOLONG,A1B2"})
    ).json()
    assert body["quotes"]["quote"]["symbol"] == "AAPL"
    assert body["quotes"]["unmatched_symbols"] == {"symbol": ["SPXW", "TOOLONG", "A1B2"]}


@pytest.mark.parametrize(("symbol", "root"), CASES)
async def test_chain_when_any_underlying_then_options_under_its_occ_root(
    sim: Sim, symbol: str, root: str
) -> None:
    """TRADIER.md §5 Option chain: quotes of the day's series, root_symbol and underlying
    set; §3: OCC symbols (BRK/B lists as BRKB)."""
    day, chain = await series_of(sim, symbol, root)
    assert {o["underlying"] for o in chain} == {symbol}
    mine = [o for o in chain if o["root_symbol"] == root]
    assert mine and all(str(o["symbol"]).startswith(root) for o in mine)
    occ = parse_occ(str(mine[0]["symbol"]))
    assert occ.root == root and occ.expiration.isoformat() == day
    priced = [o for o in mine if float(o["ask"]) > 0.05]  # type: ignore[arg-type]
    assert priced and all(float(o["bid"]) <= float(o["ask"]) for o in priced)  # type: ignore[arg-type]
    # TRADIER.md §5 Quotes: option quotes (with greeks) by OCC symbol, under any root.
    quoted = (
        await sim.http.get(
            "/markets/quotes", params={"symbols": str(priced[0]["symbol"]), "greeks": "true"}
        )
    ).json()["quotes"]["quote"]
    assert quoted["type"] == "option" and quoted["root_symbol"] == root
    assert quoted["underlying"] == symbol and "delta" in quoted["greeks"]


async def test_expirations_when_spx_then_am_monthlies_unless_all_roots(sim: Sim) -> None:
    """TRADIER.md §5 Expirations: includeAllRoots is needed to see SPXW; SPX itself lists
    AM-settled third Fridays only."""
    plain = (await sim.http.get("/markets/options/expirations", params={"symbol": "SPX"})).json()[
        "expirations"
    ]["date"]
    every = (
        await sim.http.get(
            "/markets/options/expirations", params={"symbol": "SPX", "includeAllRoots": "true"}
        )
    ).json()["expirations"]["date"]
    for raw in plain:
        d = date.fromisoformat(raw)
        # third Fridays, or the Thursday before when the Friday is a holiday (Juneteenth)
        assert d == on_trading_day(third_friday(d.year, d.month)), raw
    assert "2026-11-18" in every and "2026-11-19" in every  # SPXW dailies
    assert set(plain) < set(every)


@pytest.mark.parametrize(("symbol", "step"), [("SPX", 5.0), ("XSP", 1.0), ("NDX", 10.0)])
async def test_strikes_when_index_then_its_spacing(sim: Sim, symbol: str, step: float) -> None:
    """TRADIER.md §5 Strikes: index strikes are 5 (SPX), 1 (XSP), 10 (NDX) points apart near
    the money in the near months (docs/market-data.md)."""
    listed = (await sim.http.get("/markets/options/expirations", params={"symbol": symbol})).json()[
        "expirations"
    ]["date"]
    strikes = (
        await sim.http.get(
            "/markets/options/strikes", params={"symbol": symbol, "expiration": listed[0]}
        )
    ).json()["strikes"]["strike"]
    gaps = {round(b - a, 3) for a, b in itertools.pairwise(strikes)}
    assert gaps == {step}


async def test_expirations_when_am_settled_expiration_day_then_series_gone(sim: Sim) -> None:
    """An AM-settled series trades last on the day before expiration: on the Friday itself
    SPX lists no Nov 20 series, SPXW still does."""
    sim.clock.set(et_ms(date(2026, 11, 20), 10, 0))
    spx = (await sim.http.get("/markets/options/expirations", params={"symbol": "SPX"})).json()[
        "expirations"
    ]["date"]
    every = (
        await sim.http.get(
            "/markets/options/expirations", params={"symbol": "SPX", "includeAllRoots": "true"}
        )
    ).json()["expirations"]["date"]
    assert "2026-11-20" not in spx and "2026-11-20" in every


async def test_option_lookup_when_index_then_symbols_per_root(sim: Sim) -> None:
    """Option symbol lookup (docs/market-data.md): every listed contract, per root."""
    body = (await sim.http.get("/markets/options/lookup", params={"underlying": "SPX"})).json()
    by_root = {r["rootSymbol"]: r["options"] for r in body["symbols"]}
    assert set(by_root) == {"SPX", "SPXW"}
    assert all(parse_occ(s).root == "SPXW" for s in by_root["SPXW"])
    brk = (await sim.http.get("/markets/options/lookup", params={"underlying": "BRK/B"})).json()
    assert [r["rootSymbol"] for r in brk["symbols"]] == ["BRKB"]
    assert all(s.startswith("BRKB") for s in brk["symbols"][0]["options"])
    none = (await sim.http.get("/markets/options/lookup", params={"underlying": "ZZZZ9"})).json()
    assert none == {"symbols": None}
