"""Changing open orders with PUT on any symbol, held to TRADIER.md §3 (Reading, changing
and cancelling orders): type, duration, price and stop change; quantity and a pre/post
session do not; a finalized order answers 400 in plain text."""

from __future__ import annotations

import pytest

from tests.functional.sim.conftest import Sim
from tests.functional.sim.universe_support import quote_of, series_of


def _equity(symbol: str, **extra: str) -> dict[str, str]:
    return {
        "class": "equity",
        "symbol": symbol,
        "side": "buy",
        "quantity": "2",
        "type": "limit",
        "price": "1.00",
        "duration": "day",
        **extra,
    }


async def _open_order(sim: Sim, form: dict[str, str]) -> str:
    response = await sim.place(**form)
    assert response.status_code == 200, response.text
    path = f"{sim.orders_path}/{response.json()['order']['id']}"
    assert (await sim.http.get(path)).json()["order"]["status"] == "open"
    return path


@pytest.mark.parametrize("symbol", ["AAPL", "ZZZZ", "BRK/B"])
async def test_modify_when_price_raised_to_marketable_then_ok_and_filled(
    sim: Sim, symbol: str
) -> None:
    """TRADIER.md §3 PUT: `{"order":{"id","status":"ok"}}`; the changed order is worked."""
    path = await _open_order(sim, _equity(symbol))
    ask = float((await quote_of(sim, symbol))["ask"])  # type: ignore[arg-type]
    response = await sim.http.put(path, data={"price": f"{ask * 1.01:.2f}"})
    assert response.status_code == 200
    assert response.json()["order"] == {"id": int(path.rsplit("/", 1)[1]), "status": "ok"}
    order = (await sim.http.get(path)).json()["order"]
    assert order["status"] == "filled" and order["avg_fill_price"] <= ask * 1.01


async def test_modify_when_type_to_stop_limit_then_stop_and_price_kept(sim: Sim) -> None:
    """TRADIER.md §3 PUT: send only what changes; a stop_limit needs a stop."""
    path = await _open_order(sim, _equity("AAPL"))
    missing = await sim.http.put(path, data={"type": "stop_limit"})
    assert missing.status_code == 400
    assert "stop: is required for stop_limit" in missing.text
    ok = await sim.http.put(path, data={"type": "stop_limit", "stop": "999.00"})
    assert ok.status_code == 200
    order = (await sim.http.get(path)).json()["order"]
    assert order["type"] == "stop_limit" and order["stop_price"] == 999.0
    assert order["price"] == 1.0 and order["status"] == "open"


async def test_modify_when_duration_day_to_gtc_then_changed(sim: Sim) -> None:
    """TRADIER.md §3 PUT: duration may change (not into or out of pre/post)."""
    path = await _open_order(sim, _equity("MSFT"))
    assert (await sim.http.put(path, data={"duration": "gtc"})).status_code == 200
    assert (await sim.http.get(path)).json()["order"]["duration"] == "gtc"
    session = await sim.http.put(path, data={"duration": "post"})
    assert session.status_code == 400 and "cannot change session" in session.text


async def test_modify_when_short_sale_to_gtc_then_refused(sim: Sim) -> None:
    """TRADIER.md §3 (QC 3f7cacc): GTC is refused for short sells, on change as on entry."""
    path = await _open_order(sim, _equity("AAPL", side="sell_short", price="9999.00"))
    response = await sim.http.put(path, data={"duration": "gtc"})
    assert response.status_code == 400 and "gtc is not allowed for sell_short" in response.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quantity": "5"}, "quantity: cannot be changed"),
        ({"type": "debit"}, "type is invalid for class equity"),
        ({"price": "-1"}, "price: must be greater than 0"),
        ({"duration": "week"}, "duration: must be one of"),
    ],
)
async def test_modify_when_change_not_allowed_then_400_and_order_unchanged(
    sim: Sim, change: dict[str, str], message: str
) -> None:
    """Bad changes get Tradier's 400 errors body and change nothing."""
    path = await _open_order(sim, _equity("AAPL"))
    response = await sim.http.put(path, data=change)
    assert response.status_code == 400 and message in response.text
    order = (await sim.http.get(path)).json()["order"]
    assert (order["type"], order["price"], order["quantity"]) == ("limit", 1.0, 2.0)


async def test_modify_when_filled_then_400_finalized_plain_text(sim: Sim) -> None:
    """TRADIER.md §3 DELETE table, which PUT shares: a finalized order is 400 plain text."""
    response = await sim.place(**_equity("AAPL", type="market", price=""))
    path = f"{sim.orders_path}/{response.json()['order']['id']}"
    changed = await sim.http.put(path, data={"price": "2.00"})
    assert changed.status_code == 400
    assert changed.text == "order already in finalized state: filled"


async def test_modify_when_index_option_limit_then_price_changes_and_fills(sim: Sim) -> None:
    """PUT works on option orders under any root (an SPXW limit raised to the ask)."""
    _, chain = await series_of(sim, "SPX", "SPXW")
    contract = next(o for o in chain if o["root_symbol"] == "SPXW" and float(o["ask"]) > 1)  # type: ignore[arg-type]
    path = await _open_order(
        sim,
        {
            "class": "option",
            "symbol": "SPX",
            "option_symbol": str(contract["symbol"]),
            "side": "buy_to_open",
            "quantity": "1",
            "type": "limit",
            "price": "0.05",
            "duration": "day",
        },
    )
    response = await sim.http.put(path, data={"price": f"{float(contract['ask']) + 5:.2f}"})  # type: ignore[arg-type]
    assert response.status_code == 200
    assert (await sim.http.get(path)).json()["order"]["status"] == "filled"
