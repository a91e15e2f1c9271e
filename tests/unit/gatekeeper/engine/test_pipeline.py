"""The decision pipeline: order of checks, idempotency, limits, and calls per approval."""

from __future__ import annotations

import json
from decimal import Decimal

from gatekeeper.service import Gate
from gatekeeper.store import MemoryGateStore, StateRecord
from tests.support.gate_harness import (
    DAY,
    EXPIRY,
    constitution,
    equity,
    make_gate,
    orders_tagged,
    post,
    raw,
    signed,
    single_option,
)
from tradier.client import TradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim


def _approve(gate: Gate, clock: ManualClock, **kw: object) -> dict[str, object]:
    result = post(gate, clock, equity(clock, **kw))  # type: ignore[arg-type]
    assert result.status == 200 and result.json["decision"] == "APPROVED", result.json
    return result.json


def test_proposal_when_valid_then_one_tagged_order_and_approved(
    gate: Gate, clock: ManualClock, sim: RunningSim
) -> None:
    body = equity(clock)
    result = post(gate, clock, body)
    assert result.status == 200
    assert result.json["decision"] == "APPROVED"
    assert result.json["order_state"] == "SUBMITTED"
    assert result.json["replayed"] is False
    [order] = orders_tagged(sim, body["id"])
    assert order["id"] == result.json["order_id"]


def test_proposal_when_warm_then_three_store_calls_and_at_most_three_tradier_calls(
    gate: Gate, store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    # The first proposal warms the clock/balance caches and the baseline.
    _approve(gate, clock, symbol="SPY", order_type="limit", price="600.00")
    store_before, tradier_before = store.calls, sum(client.calls.values())
    _approve(gate, clock, symbol="QQQ", order_type="limit", price="400.00")
    assert store.calls - store_before == 3
    # An open is priced at the market whatever its limit: one quotes call, then the order.
    assert sum(client.calls.values()) - tradier_before == 2
    store_before, tradier_before = store.calls, sum(client.calls.values())
    closing = equity(clock, symbol="SPY", intent="close", side="sell", order_type="limit")
    post(gate, clock, {**closing, "price": "1.00"})
    assert store.calls - store_before == 3
    # A close is judged on the account: positions, working orders, then the order.
    assert sum(client.calls.values()) - tradier_before == 3


def test_proposal_when_sent_twice_then_replayed_and_one_order(
    gate: Gate, clock: ManualClock, sim: RunningSim
) -> None:
    body = equity(clock)
    first = post(gate, clock, body)
    second = post(gate, clock, body)
    assert second.status == 200 and second.json["replayed"] is True
    assert {k: v for k, v in second.json.items() if k != "replayed"} == {
        k: v for k, v in first.json.items() if k != "replayed"
    }
    assert len(orders_tagged(sim, body["id"])) == 1


def test_proposal_when_id_reused_with_other_body_then_409(gate: Gate, clock: ManualClock) -> None:
    body = equity(clock)
    post(gate, clock, body)
    result = post(gate, clock, {**body, "quantity": 11})
    assert result.status == 409
    assert result.json["error"]["code"] == "PROPOSAL_ID_REUSED"


def test_proposal_when_same_id_in_progress_then_409(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    from dataclasses import replace

    body = equity(clock)
    post(gate, clock, body)
    record = store.proposals[body["id"]]
    store.proposals[body["id"]] = replace(record, status="IN_PROGRESS")
    result = post(gate, clock, body)
    assert result.status == 409
    assert result.json["error"]["code"] == "PROPOSAL_IN_PROGRESS"
    assert len(orders_tagged(sim, body["id"])) == 1


def test_proposal_when_signature_wrong_then_401_before_any_call(
    gate: Gate, store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    data = raw(equity(clock))
    tampered = data.replace(b'"quantity": 10', b'"quantity": 99')
    cases = [
        (signed(data, clock), tampered),
        (signed(data, clock, secret=b"wrong-secret"), data),
        ({**signed(data, clock), "X-Edgegate-Timestamp": str(clock.now_ms() - 31_000)}, data),
        ({}, data),
    ]
    for headers, body in cases:
        response = gate.submit_proposal(headers, body)
        assert response.status == 401
        assert json.loads(response.body)["error"]["code"] == "UNAUTHORIZED"
    assert store.calls == 0
    assert sum(client.calls.values()) == 0


def test_proposal_when_body_too_large_then_413(gate: Gate, clock: ManualClock) -> None:
    data = b" " * (64 * 1024 + 1)
    assert post(gate, clock, data).status == 413


def test_proposal_when_field_invalid_then_400_naming_field(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    result = post(gate, clock, equity(clock, quantity=0))
    assert result.status == 400
    assert result.json["error"]["field"] == "quantity"
    assert store.calls == 0


def test_proposal_when_stale_or_future_then_rejected(gate: Gate, clock: ManualClock) -> None:
    stale = post(gate, clock, {**equity(clock), "created_at": clock.now_ms() - 10_001})
    future = post(gate, clock, {**equity(clock), "created_at": clock.now_ms() + 10_001})
    assert (stale.json["decision"], stale.json["reason_code"]) == ("REJECTED", "STALE_PROPOSAL")
    assert future.json["reason_code"] == "FUTURE_PROPOSAL"


def test_proposal_when_halted_then_rejected_and_no_order(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    store.set_state(StateRecord("HALTED", "test", "admin", clock.now_ms()))
    body = equity(clock)
    result = post(gate, clock, body)
    assert (result.json["decision"], result.json["reason_code"]) == ("REJECTED", "STATE_HALTED")
    assert orders_tagged(sim, body["id"]) == []


def test_proposal_when_reducing_then_only_closes_pass(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    _approve(gate, clock, symbol="SPY", quantity=10)
    store.set_state(StateRecord("REDUCING", "test", "admin", clock.now_ms()))
    opening = post(gate, clock, equity(clock, symbol="QQQ"))
    assert opening.json["reason_code"] == "STATE_REDUCING"
    closing = post(gate, clock, equity(clock, symbol="SPY", intent="close", side="sell"))
    assert closing.json["decision"] == "APPROVED"


def test_proposal_when_daily_loss_breached_then_reducing_and_open_rejected(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    store.baselines[DAY] = Decimal("200000")  # the simulator's equity is 100000
    result = post(gate, clock, equity(clock))
    assert result.json["decision"] == "REJECTED"
    assert result.json["reason_code"] == "DAILY_LOSS_LIMIT"
    assert store.state.state == "REDUCING"
    assert post(gate, clock, equity(clock, symbol="QQQ")).json["reason_code"] == "STATE_REDUCING"


def test_proposal_when_symbol_opened_within_window_then_rate_limited_but_close_passes(
    gate: Gate, clock: ManualClock
) -> None:
    _approve(gate, clock, symbol="SPY", quantity=10)
    clock.advance(30_000)
    again = post(gate, clock, equity(clock, symbol="SPY"))
    assert again.json["reason_code"] == "SYMBOL_RATE_LIMITED"
    closing = post(gate, clock, equity(clock, symbol="SPY", intent="close", side="sell"))
    assert closing.json["decision"] == "APPROVED"
    clock.advance(30_000)
    _approve(gate, clock, symbol="SPY")


def test_proposal_when_close_matches_no_position_then_rejected(
    gate: Gate, clock: ManualClock
) -> None:
    result = post(gate, clock, equity(clock, intent="close", side="sell"))
    assert result.json["reason_code"] == "NO_MATCHING_POSITION"


def test_proposal_when_open_structures_full_then_rejected(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    store.open_total = 10
    result = post(gate, clock, equity(clock))
    assert result.json["reason_code"] == "OPEN_STRUCTURES_LIMIT"


def test_proposal_when_broker_rejects_then_rejected_and_counters_released(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    # A short sale against long shares passes every gate check (its notional is at the
    # market) but Tradier's back office refuses it. (An unlisted option, this test's old
    # way to provoke a broker rejection, now never reaches the broker: it has no quote.)
    _approve(gate, clock, symbol="SPY", quantity=1)
    clock.advance(61_000)  # past the per-symbol opening window
    before = (store.open_total, dict(store.open_symbol), dict(store.structures))
    body = equity(clock, side="sell_short", quantity=1)
    result = post(gate, clock, body)
    assert (result.json["decision"], result.json["reason_code"]) == ("REJECTED", "BROKER_REJECTED")
    assert "SellShort" in result.json["reason"]
    assert (store.open_total, dict(store.open_symbol), dict(store.structures)) == before
    assert not store.intents[body["id"]].pending


def test_proposal_when_option_has_no_quote_then_quote_unavailable_and_no_order(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    body = single_option(clock, f"SPY{EXPIRY}C09990000")  # not a listed strike
    result = post(gate, clock, body)
    assert (result.json["decision"], result.json["reason_code"]) == (
        "REJECTED",
        "QUOTE_UNAVAILABLE",
    )
    assert orders_tagged(sim, body["id"]) == []
    assert store.open_total == 0 and store.structures == {}


def test_proposal_when_tradier_down_before_send_then_503_and_nothing_recorded(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    sim.controls.fault("5xx", count=50, path_prefix="/v1/markets/clock")
    body = equity(clock, order_type="limit", price="600.00")
    result = post(gate, clock, body)
    assert result.status == 503
    assert result.json["error"]["code"] == "BROKER_UNAVAILABLE"
    assert store.proposals == {} and store.intents == {}
    assert orders_tagged(sim, body["id"]) == []


def test_proposal_when_minute_budget_spent_then_global_rate_limited_but_close_passes(
    store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    rules = constitution(global_trade_calls_per_minute=1)
    gate = make_gate(store, client, clock, rules)
    _approve(gate, clock, symbol="SPY", quantity=2)
    refused = post(gate, clock, equity(clock, symbol="QQQ"))
    assert refused.json["reason_code"] == "GLOBAL_RATE_LIMITED"
    closing = post(
        gate, clock, equity(clock, symbol="SPY", intent="close", side="sell", quantity=2)
    )
    assert closing.json["decision"] == "APPROVED"
    clock.advance(60_000)
    _approve(gate, clock, symbol="QQQ")


def test_proposal_when_correlation_group_full_then_rejected(
    store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    gate = make_gate(store, client, clock)
    store.open_group["us_equity_index"] = 6
    result = post(gate, clock, equity(clock, symbol="DIA"))
    assert result.json["reason_code"] == "CORRELATION_GROUP_LIMIT"
