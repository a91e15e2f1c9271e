"""Reconcile: order states and fills, outside orders, structures released when closed."""

from __future__ import annotations

from dataclasses import replace

from gatekeeper.pipeline import DEFAULT_LEASE_MS
from gatekeeper.service import Gate
from gatekeeper.store import STATUS_DECIDED, STATUS_IN_PROGRESS, MemoryGateStore
from gatekeeper.watchdog import AuditNotifier
from tests.support.gate_harness import equity, post
from tradier.client import TradierClient
from tradier.clock import ManualClock
from tradier.orders import EquityOrder


def test_reconcile_when_order_filled_then_fills_recorded(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    body = equity(clock, quantity=5)
    assert post(gate, clock, body).json["decision"] == "APPROVED"
    report = gate.reconcile()
    assert report.updated == [body["id"]]
    record = store.proposals[body["id"]]
    assert (record.order_state, record.filled_quantity) == ("FILLED", 5)
    assert record.avg_fill_price is not None
    assert gate.reconcile().updated == []  # unchanged orders are not written again


def test_reconcile_when_order_from_outside_then_audited_and_alerted_once(
    gate: Gate, store: MemoryGateStore, client: TradierClient
) -> None:
    ack = client.place_order(EquityOrder(symbol="IWM", side="buy", quantity=1))
    assert gate.reconcile().external_orders == [ack.id]
    assert gate.reconcile().external_orders == []
    assert [a.kind for a in store.audit].count("external_order") == 1
    assert isinstance(gate.notifier, AuditNotifier) and len(gate.notifier.sent) == 1


def test_reconcile_when_structure_closed_then_counters_released(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    opened = post(gate, clock, equity(clock, symbol="DIA", quantity=3))
    assert opened.json["decision"] == "APPROVED"
    gate.reconcile()
    assert store.open_total == 1  # still held
    closed = post(gate, clock, equity(clock, symbol="DIA", intent="close", side="sell", quantity=3))
    assert closed.json["decision"] == "APPROVED"
    report = gate.reconcile()
    assert report.released == [opened.json["proposal_id"]]
    assert store.open_total == 0 and store.open_symbol["DIA"] == 0


def test_reconcile_when_order_canceled_unfilled_then_released(
    gate: Gate, store: MemoryGateStore, client: TradierClient, clock: ManualClock
) -> None:
    body = equity(clock, symbol="QQQ", order_type="limit", price="1.00")
    result = post(gate, clock, body)
    client.cancel_order(result.json["order_id"])
    assert gate.reconcile().released == [body["id"]]
    assert store.open_total == 0


def test_reconcile_when_in_progress_past_lease_without_pending_intent_then_settled_by_tag(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    # The record alone says "being decided" (its ledger entry lost, as moto's whole-table
    # rollbacks once did): the lease, not the intent, is what brings reconcile to it.
    body = equity(clock, quantity=4)
    approved = post(gate, clock, body).json
    decided = store.proposals[body["id"]]
    store.proposals[body["id"]] = replace(
        decided, status=STATUS_IN_PROGRESS, order_id=None, order_state="SUBMITTING"
    )
    del store.intents[body["id"]]
    assert gate.reconcile().adopted == []  # the lease has not ended: a request may hold it
    clock.advance(DEFAULT_LEASE_MS + 1)
    assert gate.reconcile().adopted == [body["id"]]
    settled = store.proposals[body["id"]]
    assert (settled.status, settled.order_id) == (STATUS_DECIDED, str(approved["order_id"]))
    assert (settled.order_state, settled.filled_quantity) == ("FILLED", 4)
    assert store.expired_leases(clock.now_ms()) == []
