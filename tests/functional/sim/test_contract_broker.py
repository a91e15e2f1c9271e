"""The sandbox broker: option and multileg orders, fills, positions, balances and P&L
(TRADIER.md §3 and §4), over real HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.functional.sim.conftest import ACCOUNT, Sim
from tradier.occ import OptionType, build_occ

EXPIRY = date(2026, 12, 18)


def occ(kind: OptionType, strike: int) -> str:
    """An SPY Dec 18 2026 contract."""
    return build_occ("SPY", EXPIRY, kind, Decimal(strike))


def _atm(sim: Sim) -> int:
    state = sim.server.core.venue.state("SPY")
    assert state is not None
    return round(state.last)


async def _order(sim: Sim, order_id: int) -> dict[str, object]:
    body = (await sim.http.get(f"{sim.orders_path}/{order_id}")).json()
    return dict(body["order"])


async def test_option_order_when_market_buy_then_filled_and_position_valued_at_mid_x100(
    sim: Sim,
) -> None:
    """TRADIER.md §3 option class; §4 positions; option value at mid x 100."""
    symbol = occ(OptionType.CALL, _atm(sim))
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "SPY",
            "option_symbol": symbol,
            "side": "buy_to_open",
            "quantity": "2",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.status_code == 200
    order = await _order(sim, response.json()["order"]["id"])
    assert order["status"] == "filled" and order["option_symbol"] == symbol
    position = (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json()
    held = position["positions"]["position"]
    assert held["symbol"] == symbol and held["quantity"] == 2
    assert held["cost_basis"] == pytest.approx(float(order["avg_fill_price"]) * 200)  # type: ignore[arg-type]
    mark = sim.server.core.venue.option(symbol)
    assert mark is not None
    balances = (await sim.http.get(f"/accounts/{ACCOUNT}/balances")).json()["balances"]
    assert balances["option_long_value"] == pytest.approx((mark.bid + mark.ask) / 2 * 200, abs=0.01)
    assert set(balances["margin"]) == {
        "fed_call",
        "maintenance_call",
        "option_buying_power",
        "stock_buying_power",
        "stock_short_value",
        "sweep",
    }


async def test_option_order_when_root_differs_from_symbol_then_400(sim: Sim) -> None:
    """option_symbol's root must match symbol."""
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "QQQ",
            "option_symbol": occ(OptionType.PUT, _atm(sim)),
            "side": "buy_to_open",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.status_code == 400
    assert "does not match symbol QQQ" in response.json()["errors"]["error"]


async def test_option_order_when_equity_side_then_type_side_error(sim: Sim) -> None:
    """TRADIER.md §3: class-specific sides."""
    response = await sim.place(
        **{
            "class": "option",
            "symbol": "SPY",
            "option_symbol": occ(OptionType.PUT, _atm(sim)),
            "side": "buy",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    assert response.json() == {"errors": {"error": "side is invalid for class option"}}


def _spread_form(sim: Sim, price: str, kind: str = "credit") -> dict[str, str]:
    atm = _atm(sim)
    return {
        "class": "multileg",
        "symbol": "SPY",
        "type": kind,
        "price": price,
        "duration": "day",
        "option_symbol[0]": occ(OptionType.PUT, atm - 10),
        "side[0]": "sell_to_open",
        "quantity[0]": "1",
        "option_symbol[1]": occ(OptionType.PUT, atm - 15),
        "side[1]": "buy_to_open",
        "quantity[1]": "1",
    }


def _natural_credit(sim: Sim) -> Decimal:
    atm = _atm(sim)
    short = sim.server.core.venue.option(occ(OptionType.PUT, atm - 10))
    long = sim.server.core.venue.option(occ(OptionType.PUT, atm - 15))
    assert short is not None and long is not None
    return Decimal(str(round(short.bid - long.ask, 2)))


async def test_multileg_credit_when_marketable_then_legs_filled_and_spread_requirement(
    sim: Sim,
) -> None:
    """TRADIER.md §3 multileg: credit fills when the legs' natural net reaches the price."""
    credit = _natural_credit(sim)
    response = await sim.place(**_spread_form(sim, str(credit - Decimal("0.05"))), tag="pcs-1")
    order = await _order(sim, response.json()["order"]["id"])
    assert order["status"] == "filled" and order["num_legs"] == 2
    assert order["strategy"] == "spread"
    legs = order["leg"]
    assert isinstance(legs, list) and all(leg["status"] == "filled" for leg in legs)
    positions = (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json()
    quantities = sorted(p["quantity"] for p in positions["positions"]["position"])
    assert quantities == [-1, 1]
    balances = (await sim.http.get(f"/accounts/{ACCOUNT}/balances")).json()["balances"]
    assert balances["option_requirement"] == pytest.approx(500.0)
    assert balances["option_short_value"] < 0 < balances["option_long_value"]


async def test_multileg_credit_when_not_marketable_then_open_until_price_moves(sim: Sim) -> None:
    """Working net orders are re-checked as prices move (here: a pinned short leg)."""
    credit = _natural_credit(sim)
    form = _spread_form(sim, str(credit + Decimal("1.00")))
    response = await sim.place(**form)
    order_id = response.json()["order"]["id"]
    assert (await _order(sim, order_id))["status"] == "open"
    short = sim.server.core.venue.option(form["option_symbol[0]"])
    assert short is not None
    sim.server.pin_quote(form["option_symbol[0]"], short.bid + 2, short.ask + 2, short.theo + 2)
    sim.clock.advance(1000)
    await sim.server.step()
    assert (await _order(sim, order_id))["status"] == "filled"


async def test_multileg_when_five_legs_then_400(sim: Sim) -> None:
    """TRADIER.md §3: up to 4 legs."""
    atm = _atm(sim)
    form = {"class": "multileg", "symbol": "SPY", "type": "market", "duration": "day"}
    for i in range(5):
        form[f"option_symbol[{i}]"] = occ(OptionType.CALL, atm + i)
        form[f"side[{i}]"] = "buy_to_open"
        form[f"quantity[{i}]"] = "1"
    response = await sim.place(**form)
    assert response.status_code == 400 and "at most 4 legs" in response.json()["errors"]["error"]


async def test_multileg_when_debit_without_price_then_400(sim: Sim) -> None:
    """Price is required for debit/credit."""
    form = _spread_form(sim, "")
    response = await sim.place(**{**form, "type": "debit"})
    assert response.status_code == 400 and "price" in response.json()["errors"]["error"]


@pytest.mark.parametrize("sim", [{"starting_cash": Decimal(1000)}], indirect=True)
async def test_multileg_when_buying_power_short_then_200_with_errors_and_rejected(
    sim: Sim,
) -> None:
    """TRADIER.md §3: downstream rejections (buying power) come back as 200 with errors."""
    form = {**_spread_form(sim, "0.05"), "quantity[0]": "10", "quantity[1]": "10"}
    response = await sim.place(**form, tag="too-big")
    assert response.status_code == 200
    assert "DayTradingBuyingPowerExceeded" in response.json()["errors"]["error"]
    listed = (await sim.http.get(sim.orders_path, params={"includeTags": "true"})).json()
    assert listed["orders"]["order"]["status"] == "rejected"
    assert listed["orders"]["order"]["tag"] == "too-big"


async def test_combo_when_buy_write_market_then_equity_and_option_legs_filled(sim: Sim) -> None:
    """TRADIER.md §3 combo: leg 0 equity (shares), leg 1 an option."""
    form = {
        "class": "combo",
        "symbol": "SPY",
        "type": "market",
        "duration": "day",
        "side[0]": "buy",
        "quantity[0]": "100",
        "option_symbol[1]": occ(OptionType.CALL, _atm(sim) + 10),
        "side[1]": "sell_to_open",
        "quantity[1]": "1",
    }
    response = await sim.place(**form)
    order = await _order(sim, response.json()["order"]["id"])
    assert order["status"] == "filled" and order["class"] == "combo"
    positions = (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json()
    held = {p["symbol"]: p["quantity"] for p in positions["positions"]["position"]}
    assert held["SPY"] == 100 and held[form["option_symbol[1]"]] == -1


async def test_limit_order_when_price_crosses_later_then_filled_on_tick(sim: Sim) -> None:
    """Limit orders fill when marketable, re-checked as prices move."""
    state = sim.server.core.venue.state("SPY")
    assert state is not None
    limit = round(state.bid - 1.0, 2)
    response = await sim.place(
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "buy",
            "quantity": "5",
            "type": "limit",
            "price": str(limit),
            "duration": "day",
        }
    )
    order_id = response.json()["order"]["id"]
    assert (await _order(sim, order_id))["status"] == "open"
    await sim.raw.post(
        "/sim/quotes",
        json={"symbol": "SPY", "bid": limit - 0.02, "ask": limit - 0.01, "last": limit - 0.01},
    )
    sim.clock.advance(1000)
    await sim.server.step()
    order = await _order(sim, order_id)
    assert order["status"] == "filled" and order["avg_fill_price"] == pytest.approx(limit - 0.01)


async def test_round_trip_when_closed_then_close_pl_today_and_gainloss_next_day(sim: Sim) -> None:
    """TRADIER.md §4: close_pl in balances; gainloss is filled by a nightly batch."""
    buy = {
        "class": "equity",
        "symbol": "SPY",
        "side": "buy",
        "quantity": "10",
        "type": "market",
        "duration": "day",
    }
    sim.server.pin_quote("SPY", 100.00, 100.01, 100.00)
    await sim.place(**buy)
    sim.server.pin_quote("SPY", 101.00, 101.01, 101.00)
    await sim.place(**{**buy, "side": "sell"})
    balances = (await sim.http.get(f"/accounts/{ACCOUNT}/balances")).json()["balances"]
    assert balances["close_pl"] == pytest.approx(9.9)
    gainloss = f"/accounts/{ACCOUNT}/gainloss"
    assert (await sim.http.get(gainloss)).json() == {"gainloss": "null"}
    sim.clock.advance(24 * 3600 * 1000)
    closed = (await sim.http.get(gainloss)).json()["gainloss"]["closed_position"]
    assert closed["symbol"] == "SPY" and closed["gain_loss"] == pytest.approx(9.9)
    assert closed["cost"] == pytest.approx(1000.1) and closed["proceeds"] == pytest.approx(1010.0)


async def test_day_order_when_session_ends_then_expired(sim: Sim) -> None:
    """Day orders lapse at the close."""
    response = await sim.place(
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "buy",
            "quantity": "1",
            "type": "limit",
            "price": "1.00",
            "duration": "day",
        }
    )
    sim.clock.advance(6 * 3600 * 1000)  # 16:30 ET
    await sim.server.step()
    assert (await _order(sim, response.json()["order"]["id"]))["status"] == "expired"


async def test_short_sale_when_filled_then_negative_position_and_buy_to_cover_closes(
    sim: Sim,
) -> None:
    """TRADIER.md §4: quantity is negative for shorts."""
    base = {
        "class": "equity",
        "symbol": "QQQ",
        "quantity": "3",
        "type": "market",
        "duration": "day",
    }
    await sim.place(**base, side="sell_short")
    held = (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json()
    assert held["positions"]["position"]["quantity"] == -3
    assert held["positions"]["position"]["cost_basis"] < 0
    await sim.place(**base, side="buy_to_cover")
    assert (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json() == {"positions": "null"}


async def test_option_position_when_expiration_passes_then_cash_settled_at_intrinsic(
    sim: Sim,
) -> None:
    """Held contracts are closed at intrinsic value at 16:00 ET on expiration day."""
    atm = _atm(sim)
    symbol = build_occ("SPY", date(2026, 11, 18), OptionType.PUT, Decimal(atm + 5))
    await sim.place(
        **{
            "class": "option",
            "symbol": "SPY",
            "option_symbol": symbol,
            "side": "buy_to_open",
            "quantity": "1",
            "type": "market",
            "duration": "day",
        }
    )
    sim.server.pin_quote("SPY", atm - 0.01, atm + 0.01, float(atm))
    sim.clock.advance(5 * 3600 * 1000 + 31 * 60_000)  # 16:01 ET
    await sim.server.step()
    assert (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json() == {"positions": "null"}
    sim.clock.advance(24 * 3600 * 1000)
    closed = (await sim.http.get(f"/accounts/{ACCOUNT}/gainloss")).json()
    assert closed["gainloss"]["closed_position"]["proceeds"] == pytest.approx(500.0)


@pytest.mark.parametrize("sim", [{"follow_calendar": True}], indirect=True)
async def test_pre_order_when_regular_session_then_pre_market_no_longer_available(
    sim: Sim,
) -> None:
    """TRADIER.md §3 (QC): a pre order sent outside its session is rejected."""
    response = await sim.place(
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "buy",
            "quantity": "1",
            "type": "limit",
            "price": "1.00",
            "duration": "pre",
        }
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"error": "Invalid parameter, duration: pre market no longer available"}
    }


@pytest.mark.parametrize(
    ("sim", "sub_object", "keys"),
    [
        ({"account_type": "cash"}, "cash", {"cash_available", "sweep", "unsettled_funds"}),
        (
            {"account_type": "pdt"},
            "pdt",
            {
                "fed_call",
                "maintenance_call",
                "option_buying_power",
                "stock_buying_power",
                "stock_short_value",
            },
        ),
    ],
    indirect=["sim"],
)
async def test_balances_when_account_type_then_only_its_sub_object(
    sim: Sim, sub_object: str, keys: set[str]
) -> None:
    """TRADIER.md §4 balances: one sub-object that depends on account_type."""
    balances = (await sim.http.get(f"/accounts/{ACCOUNT}/balances")).json()["balances"]
    assert balances["account_type"] == sub_object and set(balances[sub_object]) == keys
    assert not {"margin", "cash", "pdt"} - {sub_object} & set(balances)


@pytest.mark.parametrize("sim", [{"fill_cap": 4}], indirect=True)
async def test_fill_cap_when_order_larger_then_partially_filled_then_filled(sim: Sim) -> None:
    """TRADIER.md §3 statuses: partially_filled, with exec/remaining/last_fill fields."""
    sim.server.pin_quote("SPY", 100.00, 100.02, 100.01)
    response = await sim.place(
        **{
            "class": "equity",
            "symbol": "SPY",
            "side": "buy",
            "quantity": "10",
            "type": "market",
            "duration": "day",
        }
    )
    order_id = response.json()["order"]["id"]
    first = await _order(sim, order_id)
    assert (first["status"], first["exec_quantity"], first["remaining_quantity"]) == (
        "partially_filled",
        4,
        6,
    )
    for _ in range(2):
        sim.clock.advance(1000)
        await sim.server.step()
    done = await _order(sim, order_id)
    assert (done["status"], done["exec_quantity"], done["last_fill_quantity"]) == ("filled", 10, 2)
    assert done["avg_fill_price"] == pytest.approx(100.02)
