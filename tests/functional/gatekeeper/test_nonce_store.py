"""A request's nonce is accepted once: the same rules in the in-memory store and in
DynamoGateStore (moto, and DynamoDB Local when present), alone and inside the decision's
transactions."""

from __future__ import annotations

import pytest

from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.store import (
    STATUS_DECIDED,
    STATUS_IN_PROGRESS,
    AuditEntry,
    ConflictKind,
    GateStore,
    IntentRecord,
    Limits,
    MemoryGateStore,
    NonceUse,
    ProposalRecord,
    Reservation,
    StructureRecord,
)
from tradier.clock import ManualClock

NOW = 1_790_000_000_000
WINDOW = 30_000
DAY = "2026-09-21"
LIMITS = Limits(
    symbol_window_ms=60_000,
    global_budget_per_minute=50,
    max_open_total=3,
    max_open_per_symbol=2,
)


def use(nonce: str = "nonce-store-test-0001", now: int = NOW) -> NonceUse:
    return NonceUse.of(nonce, now, now, WINDOW)


def record(pid: str, status: str = STATUS_IN_PROGRESS) -> ProposalRecord:
    return ProposalRecord(
        proposal_id=pid,
        body_hash="h-" + pid,
        symbol="SPY",
        intent="open",
        status=status,
        created_at_ms=NOW,
        updated_at_ms=NOW,
        decision="APPROVED" if status == STATUS_IN_PROGRESS else "REJECTED",
    )


def reservation(pid: str, nonce: NonceUse | None) -> Reservation:
    return Reservation(
        record=record(pid),
        intent=IntentRecord(pid, "SPY", NOW),
        now_ms=NOW,
        opening=True,
        limits=LIMITS,
        structure=StructureRecord(pid, "SPY", (), ("SPY",), NOW),
        nonce=nonce,
    )


def audit(pid: str) -> AuditEntry:
    return AuditEntry(DAY, NOW, pid, "decision", "SPY", "REJECTED", "STATE_HALTED")


@pytest.fixture(params=["memory", "moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)])
def store(request: pytest.FixtureRequest) -> GateStore:
    if request.param == "memory":
        return MemoryGateStore()
    client, name = request.getfixturevalue(f"{request.param}_table")
    return DynamoGateStore(client, name, ManualClock(NOW))


def test_claim_nonce_when_new_then_accepted_and_when_again_then_refused(store: GateStore) -> None:
    assert store.claim_nonce(use()) is True
    assert store.claim_nonce(use(now=NOW + 1_000)) is False
    assert store.claim_nonce(use("nonce-store-test-0002")) is True


def test_claim_nonce_when_item_past_expiry_but_not_yet_deleted_then_accepted(
    store: GateStore,
) -> None:
    first = use()
    assert store.claim_nonce(first)
    # DynamoDB's TTL deletes days late: the condition itself must read the expiry.
    assert store.claim_nonce(use(now=first.expires_at_ms)) is False
    assert store.claim_nonce(use(now=first.expires_at_ms + 1)) is True


def test_nonce_use_when_built_then_kept_two_windows_past_the_later_of_timestamp_and_now() -> None:
    assert NonceUse.of("n" * 16, NOW - 5_000, NOW, WINDOW).expires_at_ms == NOW + 60_000
    assert NonceUse.of("n" * 16, NOW + 5_000, NOW, WINDOW).expires_at_ms == NOW + 65_000
    assert NonceUse.of("n" * 16, NOW, NOW, WINDOW).ttl_s == (NOW + 60_000) // 1000 + 1


def test_reserve_when_nonce_new_then_written_with_the_reservation(store: GateStore) -> None:
    assert store.reserve(reservation("p1", use())) is None
    assert store.claim_nonce(use(now=NOW + 1)) is False


def test_reserve_when_nonce_used_then_nonce_reused_and_nothing_written(store: GateStore) -> None:
    assert store.claim_nonce(use())
    conflict = store.reserve(reservation("p1", use(now=NOW + 1)))
    assert conflict is not None and conflict.kind is ConflictKind.NONCE_REUSED
    snap = store.snapshot("p1", DAY, ["SPY"])
    assert snap.proposal is None
    assert (snap.open_total, snap.open_by_symbol["SPY"]) == (0, 0)
    assert store.pending_intents() == []


def test_reserve_when_id_duplicate_and_nonce_used_then_nonce_reused_wins(store: GateStore) -> None:
    # A replay of the very request that reserved: refused as a replay, not as a duplicate.
    assert store.reserve(reservation("p1", use())) is None
    conflict = store.reserve(reservation("p1", use(now=NOW + 1)))
    assert conflict is not None and conflict.kind is ConflictKind.NONCE_REUSED


def test_reserve_when_id_duplicate_with_fresh_nonce_then_duplicate_and_nonce_not_written(
    store: GateStore,
) -> None:
    assert store.reserve(reservation("p1", use())) is None
    fresh = use("nonce-store-test-0002")
    conflict = store.reserve(reservation("p1", fresh))
    assert conflict is not None and conflict.kind is ConflictKind.DUPLICATE
    # The cancelled transaction wrote nothing: the pipeline claims the nonce on its own.
    assert store.claim_nonce(fresh) is True


def test_record_rejection_when_nonce_used_then_nonce_reused_and_nothing_written(
    store: GateStore,
) -> None:
    assert store.claim_nonce(use())
    conflict = store.record_rejection(record("p2", STATUS_DECIDED), audit("p2"), use(now=NOW + 1))
    assert conflict is not None and conflict.kind is ConflictKind.NONCE_REUSED
    assert store.get_proposal("p2") is None
    assert store.audit_for_day(DAY) == []


def test_record_rejection_when_nonce_new_then_written_with_the_record(store: GateStore) -> None:
    assert store.record_rejection(record("p2", STATUS_DECIDED), audit("p2"), use()) is None
    stored = store.get_proposal("p2")
    assert stored is not None and stored.status == STATUS_DECIDED
    assert store.claim_nonce(use(now=NOW + 1)) is False


def test_record_rejection_when_no_nonce_then_as_before(store: GateStore) -> None:
    assert store.record_rejection(record("p3", STATUS_DECIDED), audit("p3")) is None
    conflict = store.record_rejection(record("p3", STATUS_DECIDED), audit("p3"))
    assert conflict is not None and conflict.kind is ConflictKind.DUPLICATE
