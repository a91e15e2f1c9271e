"""Every gate route and job on a local DynamoDB (moto server) with the simulator."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.service import (
    ADMIN_FLATTEN,
    ADMIN_STATE,
    HEARTBEAT,
    STATUS,
    Gate,
    GateResponse,
    proposal_target,
)
from tests.support.gate_harness import (
    ACCOUNT,
    ADMIN,
    DAY,
    decoded,
    equity,
    make_gate,
    orders_tagged,
    post,
    raw,
    signed,
)
from tradier.client import TradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

ORDERS_PATH = f"/v1/accounts/{ACCOUNT}/orders"


@pytest.fixture
def store(moto_table: tuple[Any, str], clock: ManualClock) -> DynamoGateStore:
    client, name = moto_table
    return DynamoGateStore(client, name, clock)


@pytest.fixture
def gate(store: DynamoGateStore, client: TradierClient, clock: ManualClock) -> Gate:
    return make_gate(store, client, clock)


def _get(gate: Gate, clock: ManualClock, proposal_id: str) -> GateResponse:
    return gate.get_proposal(
        signed(b"", clock, target=proposal_target(proposal_id)), b"", proposal_id
    )


def _admin(gate: Gate, clock: ManualClock, route: str, body: dict[str, Any]) -> GateResponse:
    data = raw(body)
    call, target = (
        (gate.admin_state, ADMIN_STATE) if route == "state" else (gate.admin_flatten, ADMIN_FLATTEN)
    )
    return call(signed(data, clock, secret=ADMIN, target=target), data)


def test_get_proposal_when_filled_then_record_with_fills(gate: Gate, clock: ManualClock) -> None:
    body = equity(clock, quantity=7)
    assert post(gate, clock, body).json["decision"] == "APPROVED"
    gate.reconcile()
    found = decoded(_get(gate, clock, body["id"]))
    assert found.status == 200
    assert found.json["decision"]["order_state"] == "FILLED"
    assert found.json["proposal"]["quantity"] == 7
    assert [f["quantity"] for f in found.json["fills"]] == [7]


def test_get_proposal_when_unknown_bad_or_unsigned_then_404_400_401(
    gate: Gate, clock: ManualClock
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert _get(gate, clock, unknown).status == 404
    assert decoded(_get(gate, clock, "nope")).json["error"]["field"] == "id"
    assert gate.get_proposal({}, b"", unknown).status == 401


def test_status_when_one_open_structure_then_reported(gate: Gate, clock: ManualClock) -> None:
    body = equity(clock, symbol="IWM")
    post(gate, clock, body)
    status = decoded(gate.status(signed(b"", clock, target=STATUS), b""))
    assert status.status == 200
    assert status.json["state"] == "ACTIVE"
    assert status.json["open_structures"] == 1
    assert status.json["open_structures_by_symbol"] == {"IWM": 1}
    assert status.json["start_of_day_equity"] is not None
    assert Decimal(status.json["day_pnl"]) <= 0
    assert [d["proposal_id"] for d in status.json["recent_decisions"]] == [body["id"]]


def test_admin_routes_when_signed_with_proposal_secret_then_401(
    gate: Gate, clock: ManualClock
) -> None:
    data = raw({"state": "HALTED", "reason": "test"})
    assert gate.admin_state(signed(data, clock, target=ADMIN_STATE), data).status == 401
    assert gate.admin_flatten(signed(data, clock, target=ADMIN_FLATTEN), data).status == 401


def test_halted_when_proposal_then_no_order_and_flatten_still_closes(
    gate: Gate, clock: ManualClock, sim: RunningSim, client: TradierClient
) -> None:
    post(gate, clock, equity(clock, symbol="SPY", quantity=4))
    changed = decoded(_admin(gate, clock, "state", {"state": "HALTED", "reason": "test"}))
    assert changed.json["state"] == "HALTED" and changed.json["previous"] == "ACTIVE"
    body = equity(clock, symbol="QQQ")
    assert post(gate, clock, body).json["reason_code"] == "STATE_HALTED"
    assert orders_tagged(sim, body["id"]) == []
    flat = decoded(_admin(gate, clock, "flatten", {"reason": "test"}))
    assert flat.json["state"] == "HALTED"
    assert [d["decision"] for d in flat.json["decisions"]] == ["APPROVED"]
    assert client.positions() == []


def test_reducing_when_open_and_close_then_only_close_approved(
    gate: Gate, clock: ManualClock
) -> None:
    post(gate, clock, equity(clock, symbol="DIA", quantity=2))
    _admin(gate, clock, "state", {"state": "REDUCING", "reason": "test"})
    assert post(gate, clock, equity(clock, symbol="QQQ")).json["reason_code"] == "STATE_REDUCING"
    closing = equity(clock, symbol="DIA", intent="close", side="sell", quantity=2)
    assert post(gate, clock, closing).json["decision"] == "APPROVED"


def test_daily_loss_when_breached_then_state_reducing(
    gate: Gate, store: DynamoGateStore, clock: ManualClock
) -> None:
    store.put_baseline_if_absent(DAY, Decimal("150000"), clock.now_ms())  # equity is 100000
    result = post(gate, clock, equity(clock))
    assert result.json["decision"] == "REJECTED"
    assert store.get_state().state == "REDUCING"


@pytest.mark.parametrize("kind", ["5xx", "timeout", "lost_response"])
def test_fault_when_injected_then_one_order_at_most_and_settled(
    kind: str, gate: Gate, store: DynamoGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    sim.controls.fault(kind, count=1, path_prefix=ORDERS_PATH)
    body = equity(clock, order_type="limit", price="600.00")
    assert post(gate, clock, body).json["decision"] == "APPROVED"
    clock.advance(121_000)
    gate.reconcile()
    record = store.get_proposal(body["id"])
    assert record is not None
    count = len(orders_tagged(sim, body["id"]))
    if kind == "lost_response":
        assert (count, record.order_state) == (1, "FILLED")
    else:
        assert (count, record.order_state, record.decision) == (0, "NOT_PLACED", "REJECTED")
    assert store.pending_intents() == []


def test_heartbeat_and_watchdog_when_brain_silent_with_positions_then_reducing(
    gate: Gate, store: DynamoGateStore, clock: ManualClock
) -> None:
    post(gate, clock, equity(clock, quantity=1))
    beat = json.dumps({"brain_id": "brain-1", "sent_at": clock.now_ms()}).encode()
    answered = decoded(gate.heartbeat(signed(beat, clock, target=HEARTBEAT), beat))
    assert answered.json["state"] == "ACTIVE"
    assert gate.watchdog().tripped is False
    clock.advance(11 * 60_000)
    assert gate.watchdog().tripped is True
    assert store.get_state().state == "REDUCING"
    assert "alert" in {a.kind for a in store.audit_for_day(DAY)}


def test_end_of_day_when_after_close_then_pnl_and_next_baselines(
    gate: Gate, store: DynamoGateStore, clock: ManualClock
) -> None:
    post(gate, clock, equity(clock))
    assert gate.end_of_day().skipped is not None  # 10:00 in New York
    clock.advance(6 * 3_600_000 + 15 * 60_000)  # 16:15
    report = gate.end_of_day()
    assert report.skipped is None and report.day == DAY
    assert report.decisions == {"APPROVED:-": 1}
    assert report.next_baselines == ("2026-09-22",)
    assert store.snapshot(None, "2026-09-22").baseline == Decimal(report.equity or "0")
