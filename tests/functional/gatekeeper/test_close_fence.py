"""The per-symbol close fence, the same on every store (memory, moto, DynamoDB Local): a
close that read the account before another close's order landed cannot reserve."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.store import (
    STATUS_IN_PROGRESS,
    AuditEntry,
    CloseFence,
    ConflictKind,
    GateStore,
    IntentRecord,
    Limits,
    MemoryGateStore,
    Outcome,
    ProposalRecord,
    Reservation,
)
from tradier.clock import ManualClock

NOW = 1_790_000_000_000
DAY = "2026-09-21"
LEASE_MS = 30_000
LIMITS = Limits(60_000, 50, 10, 3, {})


@pytest.fixture(params=["memory", "moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)])
def store(request: pytest.FixtureRequest) -> GateStore:
    if request.param == "memory":
        return MemoryGateStore()
    client, name = request.getfixturevalue(f"{request.param}_table")
    return DynamoGateStore(client, name, ManualClock(NOW))


def fence(store: GateStore, symbol: str = "SPY") -> CloseFence:
    found = store.snapshot(None, DAY, [symbol], [], closing=symbol).close_fence
    assert found is not None
    return found


def reserve_close(store: GateStore, pid: str, seen: CloseFence, now: int = NOW) -> Any:
    record = ProposalRecord(
        proposal_id=pid, body_hash="h-" + pid, symbol=seen.symbol, intent="close",
        status=STATUS_IN_PROGRESS, created_at_ms=now, updated_at_ms=now,
        decision="APPROVED", lease_expires_ms=now + LEASE_MS,
    )  # fmt: skip
    reservation = Reservation(
        record=record, intent=IntentRecord(pid, seen.symbol, now), now_ms=now,
        opening=False, limits=LIMITS, close_fence=seen,
    )  # fmt: skip
    return store.reserve(reservation)


def settle(store: GateStore, pid: str, symbol: str = "SPY", settled: bool = True) -> None:
    audit = AuditEntry(DAY, NOW, pid, "decision", symbol, "APPROVED", "", {})
    state = "SUBMITTED" if settled else "SUBMIT_UNKNOWN"
    outcome = Outcome(pid, "APPROVED", None, None, "1", state, NOW, settled, audit)
    assert store.record_outcome(replace(outcome, close_symbol=symbol), STATUS_IN_PROGRESS)


def test_fence_when_never_used_then_version_zero_and_free(store: GateStore) -> None:
    assert fence(store) == CloseFence("SPY")
    assert store.snapshot(None, DAY, ["SPY"], []).close_fence is None  # an open reads none


def test_fence_when_close_reserves_then_held_until_settled(store: GateStore) -> None:
    assert reserve_close(store, "a", fence(store)) is None
    held = fence(store)
    assert (held.version, held.holder) == (0, "a")
    settle(store, "a")
    assert fence(store) == CloseFence("SPY", version=1)


def test_fence_when_other_close_in_flight_then_close_in_flight(store: GateStore) -> None:
    seen = fence(store)
    assert reserve_close(store, "a", seen) is None
    conflict = reserve_close(store, "b", fence(store))
    assert conflict is not None and conflict.kind is ConflictKind.CLOSE_IN_FLIGHT
    assert conflict.detail == "SPY"


def test_fence_when_read_before_other_close_landed_then_refused_even_after_it(
    store: GateStore,
) -> None:
    stale = fence(store)  # b reads the account here...
    assert reserve_close(store, "a", fence(store)) is None
    settle(store, "a")  # ...and a's order lands before b reserves
    conflict = reserve_close(store, "b", stale)
    assert conflict is not None and conflict.kind is ConflictKind.CLOSE_IN_FLIGHT
    assert reserve_close(store, "c", fence(store)) is None  # read after a landed: free


def test_fence_when_outcome_unknown_then_held_until_the_lease_lapses(store: GateStore) -> None:
    assert reserve_close(store, "a", fence(store)) is None
    settle(store, "a", settled=False)  # the order may still land: keep the fence
    conflict = reserve_close(store, "b", fence(store), now=NOW + LEASE_MS - 1)
    assert conflict is not None and conflict.kind is ConflictKind.CLOSE_IN_FLIGHT
    assert reserve_close(store, "c", fence(store), now=NOW + LEASE_MS + 1) is None


def test_fence_when_other_symbol_then_independent(store: GateStore) -> None:
    assert reserve_close(store, "a", fence(store, "SPY")) is None
    assert reserve_close(store, "b", fence(store, "QQQ")) is None
