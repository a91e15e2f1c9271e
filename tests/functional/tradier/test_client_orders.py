"""Orders through the sync and async clients against the simulator: placed once, never
resent, and found by tag when the outcome is unknown."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.functional.tradier.conftest import ACCOUNT, MARKET_OPEN_MS, TOKEN, Sleeps
from tradier import rest
from tradier.client import AsyncTradierClient, TradierClient
from tradier.errors import (
    TradierOrderNotFound,
    TradierOrderRejected,
    TradierOutcomeUnknown,
)
from tradier.orders import EquityOrder, MultilegOrder, OptionLeg, OptionOrder
from tradier.sim.server import RunningSim


def market_buy(tag: str, quantity: int = 1) -> EquityOrder:
    return EquityOrder(symbol="SPY", side="buy", quantity=quantity, tag=tag)


def resting_limit(tag: str) -> EquityOrder:
    """A buy limit far below the market: it stays open."""
    return EquityOrder(
        symbol="SPY", side="buy", quantity=1, type="limit", price=Decimal("1.00"), tag=tag
    )


def test_place_when_valid_then_ack_and_order_read_back_with_tag(client: TradierClient) -> None:
    ack = client.place_order(market_buy("p-1"))
    assert ack.status == "ok" and ack.id > 0
    order = client.order(ack.id)
    assert order.tag == "p-1" and order.symbol == "SPY" and order.class_ == "equity"
    [listed] = client.orders()
    assert listed.id == ack.id


def test_find_order_by_tag_when_placed_today_then_found_in_one_call(
    client: TradierClient,
) -> None:
    client.place_order(resting_limit("a-1"))
    ack = client.place_order(resting_limit("b-2"))
    found = client.find_order_by_tag("b-2")
    assert found is not None and found.id == ack.id
    assert client.calls["orders"] == 1


def test_preview_when_valid_then_costs_and_nothing_placed(
    sim: RunningSim, client: TradierClient
) -> None:
    preview = client.preview_order(market_buy("pv-1"))
    assert preview.status == "ok" and preview.cost is not None and preview.cost > 0
    assert sim.controls.orders() == []


def test_place_when_tradier_validation_fails_then_rejected_with_errors(
    client: TradierClient,
) -> None:
    order = EquityOrder(symbol="ZZZZ9", side="buy", quantity=1, tag="v-1")
    with pytest.raises(TradierOrderRejected) as info:
        client.place_order(order)
    assert info.value.status == 400
    assert info.value.errors == ["Invalid parameter, symbol: ZZZZ9 is not a valid symbol."]


def test_place_when_several_validation_errors_then_all_listed(client: TradierClient) -> None:
    order = OptionOrder(
        symbol="ZZZZ9", option_symbol="SPY991231C00001000", side="buy_to_open", quantity=1
    )
    with pytest.raises(TradierOrderRejected) as info:
        client.place_order(order)
    assert info.value.status == 400 and len(info.value.errors) >= 2


def test_place_when_downstream_rejects_with_200_then_order_rejected(
    client: TradierClient,
) -> None:
    with pytest.raises(TradierOrderRejected) as info:
        client.place_order(market_buy("big-1", quantity=100_000))
    assert info.value.status == 200
    assert "Backoffice rejected" in info.value.errors[0]


def test_place_when_5xx_then_outcome_unknown_and_never_resent(
    sim: RunningSim, client: TradierClient, sleeps: Sleeps
) -> None:
    sim.controls.fault("5xx", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
    with pytest.raises(TradierOutcomeUnknown) as info:
        client.place_order(market_buy("u-5xx"))
    assert info.value.status == 500
    assert client.calls["place_order"] == 1 and sleeps.slept == []
    assert sim.controls.orders() == []
    assert client.find_order_by_tag("u-5xx") is None


def test_place_when_server_times_out_then_outcome_unknown_and_never_resent(
    sim: RunningSim,
) -> None:
    sim.controls.fault("timeout", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
    timeout = httpx.Timeout(0.3, connect=1.0)
    with TradierClient(sim.api_url, TOKEN, ACCOUNT, timeout=timeout) as c:
        with pytest.raises(TradierOutcomeUnknown) as info:
            c.place_order(market_buy("u-timeout"))
        assert info.value.tag == "u-timeout"
        assert c.calls["place_order"] == 1
    assert sim.controls.orders() == []


def test_place_when_response_lost_then_outcome_unknown_and_found_by_tag(
    sim: RunningSim, client: TradierClient
) -> None:
    sim.controls.fault("lost_response", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
    with pytest.raises(TradierOutcomeUnknown):
        client.place_order(market_buy("u-lost"))
    assert client.calls["place_order"] == 1
    assert [o["tag"] for o in sim.controls.orders()] == ["u-lost"]
    found = client.find_order_by_tag("u-lost")
    assert found is not None and found.tag == "u-lost"


def test_multileg_when_credit_spread_then_legs_read_back(client: TradierClient) -> None:
    expiration = client.expirations("SPY")[2]
    puts = sorted(
        (o for o in client.chain("SPY", expiration, greeks=False) if o.option_type == "put"),
        key=lambda o: o.strike,
    )
    short, long = puts[len(puts) // 2], puts[len(puts) // 2 - 1]
    spread = MultilegOrder(
        symbol="SPY",
        type="credit",
        price=Decimal("0.05"),
        legs=(
            OptionLeg(option_symbol=short.symbol, side="sell_to_open", quantity=1),
            OptionLeg(option_symbol=long.symbol, side="buy_to_open", quantity=1),
        ),
        tag="spread-1",
    )
    ack = client.place_order(spread)
    order = client.order(ack.id)
    assert order.class_ == "multileg" and order.tag == "spread-1"
    assert {leg.option_symbol for leg in order.legs} == {short.symbol, long.symbol}


def test_modify_when_working_limit_then_price_changed(client: TradierClient) -> None:
    ack = client.place_order(resting_limit("m-1"))
    changed = client.modify_order(ack.id, price=Decimal("1.50"))
    assert changed.id == ack.id
    assert client.order(ack.id).price == Decimal("1.50")


def test_modify_when_5xx_then_outcome_unknown_and_never_resent(
    sim: RunningSim, client: TradierClient, sleeps: Sleeps
) -> None:
    ack = client.place_order(resting_limit("m-5xx"))
    sim.controls.fault("5xx", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
    with pytest.raises(TradierOutcomeUnknown):
        client.modify_order(ack.id, price=Decimal("1.50"))
    assert client.calls["modify_order"] == 1 and sleeps.slept == []
    assert client.order(ack.id).price == Decimal("1.00")


def test_cancel_when_5xx_once_then_retried_and_canceled(
    sim: RunningSim, client: TradierClient, sleeps: Sleeps
) -> None:
    ack = client.place_order(resting_limit("c-5xx"))
    sim.controls.fault("5xx", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
    result = client.cancel_order(ack.id)
    assert (result.id, result.outcome) == (ack.id, "canceled")
    assert client.calls["cancel_order"] == 2 and len(sleeps.slept) == 1


def test_cancel_when_working_then_canceled_and_again_already_final(
    client: TradierClient,
) -> None:
    ack = client.place_order(resting_limit("c-1"))
    first = client.cancel_order(ack.id)
    assert (first.id, first.outcome) == (ack.id, "canceled")
    again = client.cancel_order(ack.id)
    assert (again.outcome, again.final_state) == ("already_final", "canceled")
    assert client.order(ack.id).is_final


def test_cancel_when_filled_then_already_final_filled(client: TradierClient) -> None:
    ack = client.place_order(market_buy("f-1"))
    assert client.order(ack.id).status == "filled"
    result = client.cancel_order(ack.id)
    assert (result.outcome, result.final_state) == ("already_final", "filled")


def test_positions_when_market_buy_filled_then_one_position_with_cost(
    client: TradierClient,
) -> None:
    ack = client.place_order(market_buy("pos-1", quantity=2))
    filled = client.order(ack.id)
    [position] = client.positions()
    assert (position.symbol, position.quantity) == ("SPY", 2)
    assert filled.avg_fill_price is not None
    assert position.cost_basis == filled.avg_fill_price * 2


def test_cancel_when_unknown_id_then_order_not_found(client: TradierClient) -> None:
    with pytest.raises(TradierOrderNotFound):
        client.cancel_order(424_242)


async def test_async_client_when_place_lost_then_unknown_and_found_by_tag(
    sim: RunningSim,
) -> None:
    async with AsyncTradierClient(sim.api_url, TOKEN, ACCOUNT) as c:
        assert (await c.clock()).is_open
        assert [q.symbol for q in await c.quotes(["SPY"])] == ["SPY"]
        sim.controls.fault("lost_response", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}")
        with pytest.raises(TradierOutcomeUnknown):
            await c.place_order(market_buy("async-1"))
        found = await c.find_order_by_tag("async-1")
        assert found is not None and found.tag == "async-1"
        result = await c.cancel_order(found.id)
        assert result.outcome in ("canceled", "already_final")
        assert c.calls["place_order"] == 1
        assert len(sim.controls.orders()) == 1


async def test_async_client_when_place_5xx_then_outcome_unknown_and_never_resent(
    sim: RunningSim,
) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with AsyncTradierClient(sim.api_url, TOKEN, ACCOUNT, sleep=sleep) as c:
        sim.controls.fault("5xx", count=1, path_prefix=f"/v1/accounts/{ACCOUNT}/orders")
        with pytest.raises(TradierOutcomeUnknown) as info:
            await c.place_order(market_buy("async-5xx"))
        assert info.value.status == 500
        assert c.calls["place_order"] == 1 and slept == []
        assert await c.find_order_by_tag("async-5xx") is None
    assert sim.controls.orders() == []


async def test_async_client_when_reads_fail_twice_then_retried(sim: RunningSim) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with AsyncTradierClient(sim.api_url, TOKEN, ACCOUNT, sleep=sleep) as c:
        sim.controls.fault("5xx", count=2, path_prefix=f"/v1/accounts/{ACCOUNT}/balances")
        balances = await c.balances()
        assert balances.total_equity is not None
        assert c.calls["balances"] == 3 and len(slept) == 2
        assert await c.positions() == []


def test_working_orders_when_some_filled_then_only_those_that_may_fill(
    client: TradierClient,
) -> None:
    client.place_order(market_buy("w-filled"))
    resting = client.place_order(resting_limit("w-resting"))
    working = client.working_orders()
    assert [o.id for o in working] == [resting.id]
    assert working[0].status == "open" and working[0].tag == "w-resting"


def test_working_orders_when_more_than_a_page_then_every_page_read(
    sim: RunningSim, client: TradierClient
) -> None:
    # Tradier pages the orders list even without a filter (25 by default).
    try:
        for i in range(rest.ORDERS_PAGE_LIMIT + 3):
            if i and i % 50 == 0:  # the next minute: Tradier allows 60 trade calls a minute
                sim.controls.set_clock(now_ms=MARKET_OPEN_MS + i * 1_300)
            client.place_order(resting_limit(f"w-{i}"))
        assert len(client.working_orders()) == rest.ORDERS_PAGE_LIMIT + 3
        assert client.calls["orders"] == 2
    finally:
        sim.controls.set_clock(now_ms=MARKET_OPEN_MS)


def test_working_orders_when_gtc_from_an_earlier_day_then_only_with_include_older(
    sim: RunningSim, client: TradierClient
) -> None:
    gtc = EquityOrder(
        symbol="SPY", side="buy", quantity=1, type="limit", price=Decimal("1.00"),
        duration="gtc", tag="w-gtc",
    )  # fmt: skip
    ack = client.place_order(gtc)
    try:
        sim.controls.set_clock(now_ms=MARKET_OPEN_MS + 24 * 3_600_000)
        assert client.working_orders() == []  # today's list: the GTC order is not in it
        assert [o.id for o in client.working_orders(include_older=True)] == [ack.id]
    finally:
        sim.controls.set_clock(now_ms=MARKET_OPEN_MS)
