"""The simulator's order endpoints held to TRADIER.md §3 and §4, over real HTTP."""

from __future__ import annotations

import pytest

from tests.functional.sim.conftest import ACCOUNT, Sim

EQUITY_BUY = {
    "class": "equity",
    "symbol": "SPY",
    "side": "buy",
    "quantity": "10",
    "type": "market",
    "duration": "day",
}


async def test_place_when_equity_market_then_ok_ack_and_filled_at_ask(sim: Sim) -> None:
    """TRADIER.md §3 Responses: success is {"order":{"id","status":"ok","partner_id"}};
    §5 pitfalls: market orders fill at once during regular hours."""
    ask = sim.server.core.venue.state("SPY").ask  # type: ignore[union-attr]
    response = await sim.place(**EQUITY_BUY, tag="t-1")
    assert response.status_code == 200
    ack = response.json()["order"]
    assert ack["status"] == "ok" and isinstance(ack["id"], int) and ack["partner_id"]
    order = (await sim.http.get(f"{sim.orders_path}/{ack['id']}")).json()["order"]
    assert order["status"] == "filled"
    assert order["avg_fill_price"] == pytest.approx(ask)
    assert order["exec_quantity"] == 10 and order["remaining_quantity"] == 0
    assert order["create_date"].endswith("Z") and "tag" not in order


async def test_get_order_when_include_tags_then_tag_present(sim: Sim) -> None:
    """TRADIER.md §3: the tag appears only with includeTags=true."""
    ack = (await sim.place(**EQUITY_BUY, tag="abc-123")).json()["order"]
    body = (
        await sim.http.get(f"{sim.orders_path}/{ack['id']}", params={"includeTags": "true"})
    ).json()
    assert body["order"]["tag"] == "abc-123"


async def test_list_orders_when_none_one_many_then_null_object_list(sim: Sim) -> None:
    """TRADIER.md §4 cardinality: "null", a bare object, then a list."""
    assert (await sim.http.get(sim.orders_path)).json() == {"orders": "null"}
    await sim.place(**EQUITY_BUY)
    one = (await sim.http.get(sim.orders_path)).json()["orders"]["order"]
    assert isinstance(one, dict)
    await sim.place(**EQUITY_BUY)
    many = (await sim.http.get(sim.orders_path)).json()["orders"]["order"]
    assert isinstance(many, list) and len(many) == 2


async def test_list_orders_when_next_et_day_then_only_filter_all_shows_them(sim: Sim) -> None:
    """TRADIER.md §4 (MEAS): without a filter the list covers only the current ET day."""
    await sim.place(**EQUITY_BUY)
    sim.clock.advance(24 * 3600 * 1000)
    assert (await sim.http.get(sim.orders_path)).json() == {"orders": "null"}
    listed = (await sim.http.get(sim.orders_path, params={"filter": "all"})).json()
    assert listed["orders"]["order"]["symbol"] == "SPY"


async def test_cancel_when_working_then_200_and_again_400_plain_text(sim: Sim) -> None:
    """TRADIER.md §3 DELETE table: working 200, already canceled 400 plain text."""
    ack = (await sim.place(**{**EQUITY_BUY, "type": "limit", "price": "1.00"})).json()["order"]
    first = await sim.http.delete(f"{sim.orders_path}/{ack['id']}")
    assert first.status_code == 200
    assert first.json() == {"order": {"id": ack["id"], "status": "ok"}}
    second = await sim.http.delete(f"{sim.orders_path}/{ack['id']}")
    assert second.status_code == 400
    assert second.text == "order already in finalized state: canceled"


async def test_cancel_when_filled_then_400_finalized_filled(sim: Sim) -> None:
    """TRADIER.md §3 DELETE table: already filled gives 400 `...: filled`."""
    ack = (await sim.place(**EQUITY_BUY)).json()["order"]
    response = await sim.http.delete(f"{sim.orders_path}/{ack['id']}")
    assert response.status_code == 400
    assert response.text == "order already in finalized state: filled"


async def test_cancel_when_unknown_id_or_wrong_account_then_401_plain(sim: Sim) -> None:
    """TRADIER.md §3 DELETE table: unknown id or wrong account gives 401 plain text."""
    unknown = await sim.http.delete(f"{sim.orders_path}/424242")
    assert unknown.status_code == 401 and unknown.text == f"Unauthorized Account: {ACCOUNT}"
    ack = (await sim.place(**EQUITY_BUY)).json()["order"]
    wrong = await sim.http.delete(f"/accounts/VA99999999/orders/{ack['id']}")
    assert wrong.status_code == 401 and wrong.text == "Unauthorized Account: VA99999999"


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("x" * 256, "Invalid parameter, tag: contains more than 255 characters."),
        ("has space", "Invalid parameter, tag: contains invalid characters."),
        ("under_score", "Invalid parameter, tag: contains invalid characters."),
    ],
)
async def test_place_when_tag_bad_then_400_single_string_error(
    sim: Sim, tag: str, message: str
) -> None:
    """TRADIER.md §3: tags over 255 chars or outside [A-Za-z0-9-] are rejected, never cut."""
    response = await sim.place(**EQUITY_BUY, tag=tag)
    assert response.status_code == 400
    assert response.json() == {"errors": {"error": message}}
    assert (await sim.http.get(sim.orders_path)).json() == {"orders": "null"}


async def test_place_when_tag_255_chars_then_accepted(sim: Sim) -> None:
    """TRADIER.md §3: 255 characters is the limit, inclusive."""
    assert (await sim.place(**EQUITY_BUY, tag="a-1" * 85)).status_code == 200


async def test_place_when_several_problems_then_errors_list(sim: Sim) -> None:
    """TRADIER.md §3: `error` is a string or an array; several problems give an array."""
    response = await sim.place(
        class_="equity",
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "sideways",
            "quantity": "0",
            "type": "limit",
            "duration": "day",
        },
    )
    errors = response.json()["errors"]["error"]
    assert response.status_code == 400 and isinstance(errors, list) and len(errors) >= 3


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"side": "buy_to_open"}, "side is invalid for class equity"),
        ({"type": "debit"}, "type is invalid for class equity"),
        ({"quantity": "-5"}, "quantity"),
        ({"quantity": "1.5"}, "quantity"),
        ({"symbol": "NOPE9"}, "NOPE9 is not a valid symbol"),
        ({"type": "stop"}, "stop: is required"),
        ({"side": "sell_short", "duration": "gtc"}, "gtc is not allowed for sell_short"),
        ({"duration": "week"}, "duration"),
    ],
)
async def test_place_when_equity_field_invalid_then_400_names_field(
    sim: Sim, changes: dict[str, str], fragment: str
) -> None:
    """TRADIER.md §3 table (sides, types, stop), GTC refused for sell_short, quantity > 0."""
    response = await sim.place(**{**EQUITY_BUY, **changes})
    assert response.status_code == 400
    error = response.json()["errors"]["error"]
    text = error if isinstance(error, str) else " ".join(error)
    assert fragment in text


async def test_preview_when_valid_then_preview_shape_and_no_order(sim: Sim) -> None:
    """TRADIER.md §3: preview=true returns the preview shape; request_date has no zone."""
    response = await sim.place(**EQUITY_BUY, preview="true")
    body = response.json()["order"]
    assert response.status_code == 200 and body["status"] == "ok" and body["result"] is True
    assert body["class"] == "equity" and body["strategy"] == "equity"
    assert body["cost"] > 0 and body["quantity"] == 10
    assert "T" in body["request_date"] and not body["request_date"].endswith("Z")
    assert "+" not in body["request_date"]
    assert (await sim.http.get(sim.orders_path)).json() == {"orders": "null"}


async def test_place_when_market_closed_then_pending_until_open(sim: Sim) -> None:
    """TRADIER.md §3 statuses (MEAS): pending while closed, filled once the session opens."""
    sim.clock.advance(-3 * 3600 * 1000)  # 07:30 ET: premarket, regular orders wait
    ack = (await sim.place(**EQUITY_BUY)).json()["order"]
    path = f"{sim.orders_path}/{ack['id']}"
    assert (await sim.http.get(path)).json()["order"]["status"] == "pending"
    sim.clock.advance(2 * 3600 * 1000 + 60_000)  # 09:31
    await sim.server.step()
    assert (await sim.http.get(path)).json()["order"]["status"] == "filled"


async def test_place_when_sell_without_position_then_200_with_errors_and_rejected(
    sim: Sim,
) -> None:
    """TRADIER.md §3: downstream rejections come back as 200 with `errors`; the order is
    findable afterwards (here by tag) with status rejected."""
    response = await sim.place(**{**EQUITY_BUY, "side": "sell"}, tag="sell-none")
    assert response.status_code == 200
    assert "UnexpectedSellOrder" in response.json()["errors"]["error"]
    order = (await sim.http.get(sim.orders_path, params={"includeTags": "true"})).json()
    assert order["orders"]["order"]["status"] == "rejected"
    assert order["orders"]["order"]["tag"] == "sell-none"


async def test_modify_when_limit_price_changes_then_ok_and_fills_when_marketable(
    sim: Sim,
) -> None:
    """TRADIER.md §3 PUT: change type/price; response {"order":{"id","status":"ok"}}."""
    ack = (await sim.place(**{**EQUITY_BUY, "type": "limit", "price": "1.00"})).json()["order"]
    path = f"{sim.orders_path}/{ack['id']}"
    assert (await sim.http.get(path)).json()["order"]["status"] == "open"
    bad = await sim.http.put(path, data={"quantity": "5"})
    assert bad.status_code == 400
    response = await sim.http.put(path, data={"price": "100000"})
    assert response.status_code == 200 and response.json()["order"]["status"] == "ok"
    assert (await sim.http.get(path)).json()["order"]["status"] == "filled"


async def test_place_when_accept_not_json_then_errors_as_xml(sim: Sim) -> None:
    """TRADIER.md §1: without Accept: application/json the answer is XML, errors included."""
    response = await sim.raw.post(
        f"/v1{sim.orders_path}",
        data={**EQUITY_BUY, "side": "nope"},
        headers={"Authorization": "Bearer test-token"},
    )
    assert response.status_code == 400
    assert response.text.startswith("<?xml") and "<errors><error>" in response.text


async def test_balances_when_wrong_account_then_401_plain(sim: Sim) -> None:
    """TRADIER.md §3: the wrong account is refused with 401 `Unauthorized Account`."""
    response = await sim.http.get("/accounts/VA00000001/balances")
    assert response.status_code == 401 and response.text == "Unauthorized Account: VA00000001"


async def test_place_when_option_expired_then_not_listed(sim: Sim) -> None:
    """OCC symbols must name a listed contract (an expired one is refused)."""
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "SPY",
            "option_symbol": "SPY201218C00300000",
            "side": "buy_to_open",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.status_code == 400
    assert "is not a listed option" in response.json()["errors"]["error"]


async def test_place_when_combo_without_equity_leg_then_400(sim: Sim) -> None:
    """TRADIER.md §3 combo: leg 0 is the equity leg."""
    state = sim.server.core.venue.state("SPY")
    assert state is not None
    strike = round(state.last)
    form = {"class": "combo", "symbol": "SPY", "type": "market", "duration": "day"}
    for i, kind in ((1, "C"), (2, "P")):
        form[f"option_symbol[{i}]"] = f"SPY261218{kind}{strike * 1000:08d}"
        form[f"side[{i}]"] = "buy_to_open"
        form[f"quantity[{i}]"] = "1"
    response = await sim.place(**form)
    assert response.status_code == 400
    assert "equity leg 0" in response.json()["errors"]["error"]


async def test_place_when_option_pre_duration_then_400(sim: Sim) -> None:
    """Extended-hours durations are for equity orders only."""
    state = sim.server.core.venue.state("SPY")
    assert state is not None
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "SPY",
            "option_symbol": f"SPY261218C{round(state.last) * 1000:08d}",
            "side": "buy_to_open",
            "quantity": "1",
            "type": "limit",
            "price": "1.00",
            "duration": "post",
        }
    )
    assert response.status_code == 400
    assert "equity orders only" in response.json()["errors"]["error"]
