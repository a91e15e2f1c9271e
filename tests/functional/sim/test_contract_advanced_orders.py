"""OTO, OCO and OTOCO orders held to TRADIER.md §3 ("Rules for the advanced classes")."""

from __future__ import annotations

from tests.functional.sim.conftest import ACCOUNT, Sim


def _order(i: int, side: str, kind: str, price: str = "", stop: str = "") -> dict[str, str]:
    form = {f"symbol[{i}]": "SPY", f"side[{i}]": side, f"quantity[{i}]": "10", f"type[{i}]": kind}
    if price:
        form[f"price[{i}]"] = price
    if stop:
        form[f"stop[{i}]"] = stop
    return form


async def _get(sim: Sim, order_id: int) -> dict[str, object]:
    body = await sim.http.get(f"{sim.orders_path}/{order_id}", params={"includeTags": "true"})
    return dict(body.json()["order"])


async def _tick(sim: Sim) -> None:
    sim.clock.advance(1000)
    await sim.server.step()


async def test_otoco_when_entry_fills_then_bracket_works_and_one_cancels_other(sim: Sim) -> None:
    """OTOCO: the first order triggers an OCO pair; the pair's first fill cancels the other."""
    sim.server.pin_quote("SPY", 100.00, 100.02, 100.01)
    form = {
        "class": "otoco",
        "duration": "day",
        "tag": "bracket-1",
        **_order(0, "buy", "limit", price="99.00"),
        **_order(1, "sell", "limit", price="105.00"),
        **_order(2, "sell", "stop", stop="95.00"),
    }
    response = await sim.place(**form)
    assert response.status_code == 200
    parent_id = response.json()["order"]["id"]
    parent = await _get(sim, parent_id)
    legs = parent["leg"]
    assert isinstance(legs, list)
    assert parent["class"] == "otoco" and parent["num_legs"] == 3 and parent["tag"] == "bracket-1"
    assert [leg["status"] for leg in legs] == ["open", "pending", "pending"]
    sim.server.pin_quote("SPY", 98.90, 98.95, 98.93)  # the entry limit becomes marketable
    await _tick(sim)
    legs = (await _get(sim, parent_id))["leg"]
    assert [leg["status"] for leg in legs] == ["filled", "open", "open"]  # type: ignore[index]
    sim.server.pin_quote("SPY", 105.10, 105.12, 105.11)  # take profit
    await _tick(sim)
    parent = await _get(sim, parent_id)
    assert parent["status"] == "filled"
    assert [leg["status"] for leg in parent["leg"]] == ["filled", "filled", "canceled"]  # type: ignore[attr-defined]
    positions = (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json()
    assert positions == {"positions": "null"}


async def test_oco_when_stop_triggers_then_limit_canceled(sim: Sim) -> None:
    """OCO: two orders of different type on the same symbol; one fill cancels the other."""
    sim.server.pin_quote("SPY", 100.00, 100.02, 100.01)
    await sim.place(
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "buy",
            "quantity": "10",
            "type": "market",
            "duration": "day",
        }
    )
    form = {
        "class": "oco",
        "duration": "day",
        **_order(0, "sell", "limit", price="110.00"),
        **_order(1, "sell", "stop", stop="95.00"),
    }
    parent_id = (await sim.place(**form)).json()["order"]["id"]
    sim.server.pin_quote("SPY", 94.90, 94.95, 94.92)
    await _tick(sim)
    parent = await _get(sim, parent_id)
    assert parent["status"] == "filled"
    assert [leg["status"] for leg in parent["leg"]] == ["canceled", "filled"]  # type: ignore[attr-defined]


async def test_oto_when_first_is_market_then_400(sim: Sim) -> None:
    """OTO: the first order is limit, stop or stop_limit."""
    form = {
        "class": "oto",
        "duration": "day",
        **_order(0, "buy", "market"),
        **_order(1, "sell", "limit", price="110.00"),
    }
    response = await sim.place(**form)
    assert response.status_code == 400
    assert "first order of an oto" in response.json()["errors"]["error"]


async def test_oco_when_same_type_then_400(sim: Sim) -> None:
    """OCO: the two orders differ in type."""
    form = {
        "class": "oco",
        "duration": "day",
        **_order(0, "sell", "limit", price="110.00"),
        **_order(1, "sell", "limit", price="90.00"),
    }
    response = await sim.place(**form)
    assert response.status_code == 400 and "differ in type" in response.json()["errors"]["error"]


async def test_otoco_when_two_orders_then_400(sim: Sim) -> None:
    """OTOCO: exactly 3 orders."""
    form = {
        "class": "otoco",
        "duration": "day",
        **_order(0, "buy", "limit", price="99.00"),
        **_order(1, "sell", "limit", price="105.00"),
    }
    response = await sim.place(**form)
    assert response.status_code == 400 and "exactly 3 orders" in response.json()["errors"]["error"]


async def test_oto_when_canceled_then_held_leg_canceled_too(sim: Sim) -> None:
    """Cancelling the parent cancels every leg, held ones included."""
    form = {
        "class": "oto",
        "duration": "day",
        **_order(0, "buy", "limit", price="1.00"),
        **_order(1, "sell", "limit", price="500.00"),
    }
    parent_id = (await sim.place(**form)).json()["order"]["id"]
    assert (await sim.http.delete(f"{sim.orders_path}/{parent_id}")).status_code == 200
    parent = await _get(sim, parent_id)
    assert [leg["status"] for leg in parent["leg"]] == ["canceled", "canceled"]  # type: ignore[attr-defined]
