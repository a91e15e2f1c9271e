"""Exactly once: an unknown send outcome is settled by tag, never by sending again."""

from __future__ import annotations

import pytest

from gatekeeper.pipeline import body_hash
from gatekeeper.service import Gate
from gatekeeper.store import (
    STATUS_IN_PROGRESS,
    IntentRecord,
    MemoryGateStore,
    ProposalRecord,
    Reservation,
    StructureRecord,
)
from tests.support.gate_harness import ACCOUNT, equity, orders_tagged, post, raw
from tradier.client import TradierClient
from tradier.clock import ManualClock
from tradier.orders import EquityOrder
from tradier.sim.server import RunningSim

ORDERS_PATH = f"/v1/accounts/{ACCOUNT}/orders"
GRACE_MS = 120_000


@pytest.mark.parametrize("kind", ["5xx", "timeout", "lost_response"])
def test_send_when_fault_then_no_second_order_and_settled(
    kind: str, gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    sim.controls.fault(kind, count=1, path_prefix=ORDERS_PATH)
    body = equity(clock, order_type="limit", price="600.00")
    first = post(gate, clock, body)
    assert first.status == 200 and first.json["decision"] == "APPROVED"
    replay = post(gate, clock, body)
    assert replay.json["replayed"] is True
    placed = kind == "lost_response"  # the sim processed the order, then dropped the answer
    if placed:
        assert first.json["order_id"] == orders_tagged(sim, body["id"])[0]["id"]
    else:
        assert first.json["order_state"] == "SUBMIT_UNKNOWN"
        assert store.intents[body["id"]].pending
    clock.advance(GRACE_MS + 1_000)
    gate.reconcile()
    gate.reconcile()
    record = store.proposals[body["id"]]
    assert len(orders_tagged(sim, body["id"])) == (1 if placed else 0)
    assert not store.intents[body["id"]].pending
    if placed:
        assert (record.decision, record.order_state) == ("APPROVED", "FILLED")
        assert store.open_total == 1
    else:
        assert (record.decision, record.order_state) == ("REJECTED", "NOT_PLACED")
        assert store.open_total == 0 and store.structures == {}


def _crashed_before_send(store: MemoryGateStore, clock: ManualClock, body: dict) -> None:
    """The state a request leaves when its function dies between the intent and the send."""
    now = clock.now_ms()
    record = ProposalRecord(
        body["id"], body_hash(raw(body)), "SPY", "open", STATUS_IN_PROGRESS, now, now, "APPROVED"
    )
    structure = StructureRecord(body["id"], "SPY", ("us_equity_index",), ("SPY",), now)
    limits = gate_limits()
    store.reserve(
        Reservation(record, IntentRecord(body["id"], "SPY", now), now, True, limits, structure)
    )


def gate_limits():  # type: ignore[no-untyped-def]
    from gatekeeper.ratelimit import limits_from
    from tests.support.gate_harness import constitution

    return limits_from(constitution())


def test_reconcile_when_intent_never_sent_then_not_placed_after_grace_and_released(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    body = equity(clock)
    _crashed_before_send(store, clock, body)
    assert gate.reconcile().not_placed == []  # within the grace: maybe still sending
    assert post(gate, clock, body).status == 409
    clock.advance(GRACE_MS + 1)
    assert gate.reconcile().not_placed == [body["id"]]
    assert store.proposals[body["id"]].order_state == "NOT_PLACED"
    assert store.open_total == 0
    assert orders_tagged(sim, body["id"]) == []


def test_reconcile_when_intent_has_order_by_tag_then_adopted(
    gate: Gate, store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    body = equity(clock)
    _crashed_before_send(store, clock, body)
    ack = client.place_order(EquityOrder(symbol="SPY", side="buy", quantity=1, tag=body["id"]))
    assert gate.reconcile().adopted == [body["id"]]
    record = store.proposals[body["id"]]
    assert (record.decision, record.order_id) == ("APPROVED", str(ack.id))
    assert post(gate, clock, body).json["replayed"] is True
