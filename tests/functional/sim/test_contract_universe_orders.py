"""Orders on any symbol (TRADIER.md §3): stocks, share classes, index options under their
roots, and the cash settlement of European index options, over real HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.functional.sim.conftest import Sim
from tests.functional.sim.universe_support import CASES, et_ms, quote_of, series_of
from tradier.occ import OptionType, build_occ, parse_occ


@pytest.mark.parametrize("symbol", ["AAPL", "ZZZZ", "BRK/B"])
async def test_order_when_equity_on_any_stock_then_filled(sim: Sim, symbol: str) -> None:
    """TRADIER.md §3: an equity market order on any stock fills at the ask."""
    ask = (await quote_of(sim, symbol))["ask"]
    ack = (
        await sim.place(
            **{
                "class": "equity",
                "symbol": symbol,
                "side": "buy",
                "quantity": "3",
                "type": "market",
                "duration": "day",
            }
        )
    ).json()["order"]
    order = (await sim.http.get(f"{sim.orders_path}/{ack['id']}")).json()["order"]
    assert order["status"] == "filled" and order["symbol"] == symbol
    assert order["avg_fill_price"] == pytest.approx(ask)
    positions = (await sim.http.get(f"/accounts/{sim.orders_path.split('/')[2]}/positions")).json()
    assert positions["positions"]["position"]["symbol"] == symbol


@pytest.mark.parametrize("symbol", ["SPX", "XSP"])
async def test_order_when_equity_on_index_then_400(sim: Sim, symbol: str) -> None:
    """An index quotes but has no shares (issue 12)."""
    response = await sim.place(
        **{
            "class": "equity",
            "symbol": symbol,
            "side": "buy",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.status_code == 400
    assert f"{symbol} is an index and cannot be traded" in response.text


@pytest.mark.parametrize(("symbol", "root"), CASES)
async def test_order_when_option_on_any_root_then_filled_under_its_underlying(
    sim: Sim, symbol: str, root: str
) -> None:
    """TRADIER.md §3 option orders: `symbol` is the underlying (SPX for SPXW, BRK/B for
    BRKB), `option_symbol` the OCC symbol; a market buy fills at the ask."""
    _, chain = await series_of(sim, symbol, root)
    mine = [o for o in chain if o["root_symbol"] == root and float(o["ask"]) > 0.5]  # type: ignore[arg-type]
    contract = mine[len(mine) // 2]
    ack = (
        await sim.place(
            **{
                "class": "option",
                "symbol": symbol,
                "option_symbol": str(contract["symbol"]),
                "side": "buy_to_open",
                "quantity": "1",
                "type": "market",
                "duration": "day",
            }
        )
    ).json()["order"]
    order = (await sim.http.get(f"{sim.orders_path}/{ack['id']}")).json()["order"]
    assert order["status"] == "filled" and order["option_symbol"] == contract["symbol"]


async def test_order_when_root_of_another_underlying_then_400(sim: Sim) -> None:
    """An OCC root must belong to the order's symbol: SPXW options are SPX's, not XSP's."""
    _, chain = await series_of(sim, "SPX", "SPXW")
    spxw = next(o for o in chain if o["root_symbol"] == "SPXW")
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "XSP",
            "option_symbol": str(spxw["symbol"]),
            "side": "buy_to_open",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.status_code == 400
    assert "does not match symbol XSP" in response.text


def _held_call(sim: Sim, root: str, expiration: date) -> str:
    spot = sim.server.core.venue.state("SPX")
    assert spot is not None
    strike = Decimal(int(spot.last / 5) * 5 - 300)  # deep in the money: settles for cash
    return build_occ(root, expiration, OptionType.CALL, strike)


@pytest.mark.parametrize(("root", "settles_at"), [("SPX", "open"), ("SPXW", "close")])
async def test_settlement_when_index_option_expires_then_cash_at_settlement_value(
    sim: Sim, root: str, settles_at: str
) -> None:
    """Index options are European and cash-settled: SPX monthlies at the opening value of
    expiration day (AM), SPXW at the 16:00 close (PM) (docs/market-data.md)."""
    expiration = date(2026, 11, 20)
    symbol = _held_call(sim, root, expiration)
    ack = (
        await sim.place(
            **{
                "class": "option",
                "symbol": "SPX",
                "option_symbol": symbol,
                "side": "buy_to_open",
                "quantity": "1",
                "type": "market",
                "duration": "day",
            }
        )
    ).json()["order"]
    assert (await sim.http.get(f"{sim.orders_path}/{ack['id']}")).json()["order"][
        "status"
    ] == "filled"
    broker = sim.server.core.broker
    occ = parse_occ(symbol)
    cash_before = broker.ledger.cash
    sim.clock.set(sim.clock.now_ms() + 2 * 86_400_000 + 6 * 3_600_000)  # Friday 16:30 ET
    await sim.server.step()
    assert broker.ledger.quantity(symbol) == 0
    day = sim.server.core.venue.state("SPX", et_ms(expiration, 16, 0))
    assert day is not None and day.open is not None and day.open != day.last
    value = Decimal(str(day.open if settles_at == "open" else day.last))
    assert broker.settlement_price(occ) == value
    # Cash settlement: the intrinsic value against that price, x100, and no shares.
    assert value > occ.strike
    assert broker.ledger.cash - cash_before == (value - occ.strike) * 100
    assert "SPX" not in broker.ledger.positions
