"""DynamoGateStore against moto and DynamoDB Local: conditions map to the right conflict."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.store import (
    STATUS_IN_PROGRESS,
    AuditEntry,
    ConflictKind,
    Heartbeat,
    IntentRecord,
    Limits,
    Outcome,
    ProposalRecord,
    Reservation,
    StateRecord,
    StoreUnavailable,
    StructureRecord,
)
from tradier.clock import ManualClock

NOW = 1_790_000_000_000
LIMITS = Limits(
    symbol_window_ms=60_000,
    global_budget_per_minute=50,
    max_open_total=3,
    max_open_per_symbol=2,
    group_caps={"index": 5},
)


def _reservation(
    pid: str, symbol: str = "SPY", now: int = NOW, opening: bool = True
) -> Reservation:
    record = ProposalRecord(
        proposal_id=pid,
        body_hash="h-" + pid,
        symbol=symbol,
        intent="open" if opening else "close",
        status=STATUS_IN_PROGRESS,
        created_at_ms=now,
        updated_at_ms=now,
        decision="APPROVED",
        lease_expires_ms=now + 30_000,
    )
    structure = StructureRecord(pid, symbol, ("index",), (symbol,), now) if opening else None
    return Reservation(
        record=record,
        intent=IntentRecord(pid, symbol, now),
        now_ms=now,
        opening=opening,
        limits=LIMITS,
        structure=structure,
    )


@pytest.fixture
def store(any_table: tuple[Any, str]) -> DynamoGateStore:
    client, name = any_table
    return DynamoGateStore(client, name, ManualClock(NOW))


def test_reserve_when_new_then_recorded_with_counters_and_pending_intent(
    store: DynamoGateStore,
) -> None:
    assert store.reserve(_reservation("p1")) is None
    snap = store.snapshot("p1", "2026-09-21", ["SPY"], ["index"])
    assert snap.proposal is not None and snap.proposal.status == STATUS_IN_PROGRESS
    assert (snap.open_total, snap.open_by_symbol["SPY"], snap.open_by_group["index"]) == (1, 1, 1)
    assert [i.proposal_id for i in store.pending_intents()] == ["p1"]
    assert [s.proposal_id for s in store.open_structures()] == ["p1"]


def test_reserve_when_same_id_then_duplicate_with_existing_record(store: DynamoGateStore) -> None:
    store.reserve(_reservation("p1"))
    conflict = store.reserve(_reservation("p1", now=NOW + 120_000))
    assert conflict is not None and conflict.kind is ConflictKind.DUPLICATE
    assert conflict.existing is not None and conflict.existing.body_hash == "h-p1"


def test_reserve_when_symbol_opened_within_window_then_symbol_rate(store: DynamoGateStore) -> None:
    store.reserve(_reservation("p1"))
    conflict = store.reserve(_reservation("p2", now=NOW + 59_000))
    assert conflict is not None and conflict.kind is ConflictKind.SYMBOL_RATE
    assert store.get_proposal("p2") is None
    assert store.reserve(_reservation("p3", now=NOW + 60_000)) is None


def test_reserve_when_caps_reached_then_open_symbol_then_open_total(store: DynamoGateStore) -> None:
    assert store.reserve(_reservation("a", "SPY", NOW)) is None
    assert store.reserve(_reservation("b", "SPY", NOW + 60_000)) is None
    conflict = store.reserve(_reservation("c", "SPY", NOW + 120_000))
    assert conflict is not None and conflict.kind is ConflictKind.OPEN_SYMBOL
    assert store.reserve(_reservation("d", "QQQ", NOW + 120_000)) is None
    conflict = store.reserve(_reservation("e", "IWM", NOW + 120_000))
    assert conflict is not None and conflict.kind is ConflictKind.OPEN_TOTAL


def test_reserve_when_closing_then_no_entry_limit_applies(store: DynamoGateStore) -> None:
    for i, sym in enumerate(["SPY", "QQQ", "IWM"]):
        assert store.reserve(_reservation(f"o{i}", sym, NOW)) is None
    assert store.reserve(_reservation("close1", "SPY", NOW + 1, opening=False)) is None


def test_record_outcome_when_rejected_by_broker_then_counters_released_once(
    store: DynamoGateStore,
) -> None:
    res = _reservation("p1")
    store.reserve(res)
    assert res.structure is not None
    audit = AuditEntry("2026-09-21", NOW, "p1", "decision", "SPY", "REJECTED", "BROKER_REJECTED")
    outcome = Outcome(
        "p1", "REJECTED", "BROKER_REJECTED", "no", None, "REJECTED", NOW, True, audit, res.structure
    )
    assert store.record_outcome(outcome, STATUS_IN_PROGRESS) is True
    assert store.record_outcome(outcome, STATUS_IN_PROGRESS) is False
    snap = store.snapshot("p1", "2026-09-21", ["SPY"], ["index"])
    assert (snap.open_total, snap.open_by_symbol["SPY"]) == (0, 0)
    assert snap.proposal is not None and snap.proposal.decision == "REJECTED"
    assert store.pending_intents() == []
    assert store.release_structure(res.structure) is False
    assert [a.reason_code for a in store.audit_for_symbol("SPY")] == ["BROKER_REJECTED"]


def test_state_heartbeat_baseline_round_trip(store: DynamoGateStore) -> None:
    assert store.get_state().state == "ACTIVE"
    assert store.set_state(StateRecord("REDUCING", "loss", "gate", NOW), only_from=["ACTIVE"])
    assert not store.set_state(StateRecord("REDUCING", "x", "gate", NOW), only_from=["ACTIVE"])
    assert store.get_state().reason == "loss"
    store.put_heartbeat(Heartbeat(NOW, {"positions": "2"}))
    hb = store.get_heartbeat()
    assert hb is not None and hb.summary == {"positions": "2"}
    assert store.put_baseline_if_absent("2026-09-21", Decimal("1000.50"), NOW) == Decimal("1000.50")
    assert store.put_baseline_if_absent("2026-09-21", Decimal("5"), NOW) == Decimal("1000.50")


def test_store_when_endpoint_unreachable_then_store_unavailable() -> None:
    from tests.support.dynamo import dynamodb_client

    unreachable = DynamoGateStore(dynamodb_client("http://127.0.0.1:9"), "t", ManualClock(NOW))
    with pytest.raises(StoreUnavailable):
        unreachable.get_state()


def test_snapshot_when_symbol_named_like_a_key_then_kept_apart(store: DynamoGateStore) -> None:
    assert store.reserve(_reservation("p1", symbol="TOTAL")) is None
    snap = store.snapshot(None, "2026-09-21", ["TOTAL", "GLOBAL"], ["index"])
    assert (snap.open_total, snap.open_by_symbol) == (1, {"TOTAL": 1, "GLOBAL": 0})


def test_reserve_when_group_at_cap_then_open_group_named(any_table: tuple[Any, str]) -> None:
    client, name = any_table
    tight = Limits(60_000, 50, 10, 10, {"index": 1})
    store = DynamoGateStore(client, name, ManualClock(NOW))
    assert store.reserve(replace(_reservation("a", "SPY"), limits=tight)) is None
    conflict = store.reserve(replace(_reservation("b", "QQQ"), limits=tight))
    assert conflict is not None and conflict.kind is ConflictKind.OPEN_GROUP
    assert conflict.detail == "index"


def test_expired_leases_when_reserved_then_listed_after_the_lease_until_decided(
    store: DynamoGateStore,
) -> None:
    res = _reservation("p1")
    store.reserve(res)
    lease_end = res.record.lease_expires_ms
    assert store.expired_leases(lease_end) == []
    [expired] = store.expired_leases(lease_end + 1)
    assert (expired.proposal_id, expired.status) == ("p1", STATUS_IN_PROGRESS)
    audit = AuditEntry("2026-09-21", NOW, "p1", "decision", "SPY", "APPROVED")
    outcome = Outcome("p1", "APPROVED", None, None, "7", "SUBMITTED", NOW, True, audit)
    assert store.record_outcome(outcome, STATUS_IN_PROGRESS)
    assert store.expired_leases(lease_end + 1) == []


def test_set_state_when_audited_then_state_and_entry_together_or_neither(
    store: DynamoGateStore,
) -> None:
    entry = AuditEntry("2026-09-21", NOW, "state-1", "state", "", "REDUCING", "", {"loss": "9"})
    record = StateRecord("REDUCING", "loss", "daily_loss", NOW)
    assert store.set_state(record, only_from=["ACTIVE"], audit=entry)
    later = replace(entry, ts_ms=NOW + 1, ref="state-2")
    assert not store.set_state(record, only_from=["ACTIVE"], audit=later)
    assert [a.ref for a in store.audit_for_day("2026-09-21")] == ["state-1"]
    assert store.get_state().actor == "daily_loss"
