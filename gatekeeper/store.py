"""The gate's store: the `GateStore` interface and an in-memory fake (records re-exported).

The interface is a handful of small primitives, each one DynamoDB call in the real store
(`gatekeeper.dynamo_store`), so the pipeline can count and bound its calls. Every limit is
enforced inside the store's atomic write (`reserve`), never by read-then-write.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol

from gatekeeper.errors import StoreUnavailable
from gatekeeper.records import (
    DEFAULT_STATE,
    STATUS_DECIDED,
    STATUS_IN_PROGRESS,
    AuditEntry,
    CloseFence,
    Conflict,
    ConflictKind,
    Heartbeat,
    IntentRecord,
    Limits,
    NonceUse,
    Outcome,
    ProposalRecord,
    Reservation,
    Snapshot,
    StateRecord,
    StructureRecord,
    proposal_ttl_s,
    rate_ttl_s,
)

__all__ = [
    "DEFAULT_STATE",
    "STATUS_DECIDED",
    "STATUS_IN_PROGRESS",
    "AuditEntry",
    "CloseFence",
    "Conflict",
    "ConflictKind",
    "GateStore",
    "Heartbeat",
    "IntentRecord",
    "Limits",
    "MemoryGateStore",
    "NonceUse",
    "Outcome",
    "ProposalRecord",
    "Reservation",
    "Snapshot",
    "StateRecord",
    "StoreUnavailable",
    "StructureRecord",
    "proposal_ttl_s",
    "rate_ttl_s",
]


class GateStore(Protocol):
    """The gate's persistence primitives; each is one DynamoDB call unless noted."""

    def snapshot(
        self,
        proposal_id: str | None,
        day: str,
        symbols: Sequence[str] = (),
        groups: Sequence[str] = (),
        closing: str | None = None,
    ) -> Snapshot:
        """State, the proposal record, the day's baseline, open counts and (for a close of
        `closing`) its close fence, in one read."""
        ...

    def get_proposal(self, proposal_id: str) -> ProposalRecord | None:
        """One proposal record, strongly consistent."""
        ...

    def reserve(self, reservation: Reservation) -> Conflict | None:
        """Atomically write record + rate items + counters + intent; a `Conflict` if refused."""
        ...

    def record_rejection(
        self, record: ProposalRecord, audit: AuditEntry, nonce: NonceUse | None = None
    ) -> Conflict | None:
        """Store a rejected proposal (conditioned on its id, and on `nonce` being unused)
        with its audit line."""
        ...

    def claim_nonce(self, use: NonceUse) -> bool:
        """Record a request's nonce unless an unexpired use of it exists; False if one does."""
        ...

    def record_outcome(self, outcome: Outcome, expect_status: str | None) -> bool:
        """Record a send's outcome; False when the record is not in `expect_status`."""
        ...

    def update_order(
        self,
        proposal_id: str,
        order_state: str,
        filled_quantity: int,
        avg_fill_price: str | None,
        now_ms: int,
    ) -> None:
        """Refresh a submitted order's state and fills (reconcile)."""
        ...

    def pending_intents(self) -> list[IntentRecord]:
        """Intents not yet settled (sent and confirmed, or known not sent)."""
        ...

    def expired_leases(self, now_ms: int) -> list[ProposalRecord]:
        """Proposals still IN_PROGRESS whose lease ended before `now_ms`, oldest first."""
        ...

    def open_structures(self) -> list[StructureRecord]:
        """Every structure still counted against the caps."""
        ...

    def release_structure(self, structure: StructureRecord) -> bool:
        """Remove a structure and decrement its counters once; False if already gone."""
        ...

    def get_state(self) -> StateRecord:
        """The trading state (ACTIVE when never set)."""
        ...

    def set_state(
        self, record: StateRecord, only_from: Sequence[str] = (), audit: AuditEntry | None = None
    ) -> bool:
        """Set the state (with `audit` in the same write); with `only_from`, only when the
        current state is one of them."""
        ...

    def put_heartbeat(self, heartbeat: Heartbeat) -> None:
        """Record the brain's heartbeat."""
        ...

    def get_heartbeat(self) -> Heartbeat | None:
        """The last heartbeat, if any."""
        ...

    def put_baseline_if_absent(self, day: str, equity: Decimal, now_ms: int) -> Decimal:
        """Record the day's start-of-day equity once; returns the stored value."""
        ...

    def append_audit(self, entry: AuditEntry) -> None:
        """Append an audit line."""
        ...

    def audit_for_day(self, day: str, limit: int = 1000) -> list[AuditEntry]:
        """The day's audit lines, oldest first."""
        ...

    def audit_for_symbol(self, symbol: str, limit: int = 100) -> list[AuditEntry]:
        """A symbol's audit lines, newest first."""
        ...

    def get_doc(self, key: str) -> dict[str, str] | None:
        """A small string map kept under `key` (reconcile's order book, reports)."""
        ...

    def put_doc(self, key: str, doc: Mapping[str, str], ttl_s: int = 0) -> None:
        """Replace the string map under `key`."""
        ...


class MemoryGateStore:
    """An in-memory `GateStore` with the same atomicity, for unit tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = StateRecord()
        self.proposals: dict[str, ProposalRecord] = {}
        self.intents: dict[str, IntentRecord] = {}
        self.structures: dict[str, StructureRecord] = {}
        self.symbol_last_open: dict[str, int] = {}
        self.global_minute: dict[int, int] = {}
        self.open_total = 0
        self.open_symbol: dict[str, int] = {}
        self.open_group: dict[str, int] = {}
        self.baselines: dict[str, Decimal] = {}
        self.heartbeat: Heartbeat | None = None
        self.audit: list[AuditEntry] = []
        self.docs: dict[str, dict[str, str]] = {}
        self.nonces: dict[str, NonceUse] = {}
        self.close_fences: dict[str, CloseFence] = {}
        self.calls = 0

    def _nonce_taken_locked(self, use: NonceUse | None) -> bool:
        if use is None:
            return False
        seen = self.nonces.get(use.nonce)
        return seen is not None and seen.expires_at_ms >= use.used_at_ms

    def snapshot(
        self,
        proposal_id: str | None,
        day: str,
        symbols: Sequence[str] = (),
        groups: Sequence[str] = (),
        closing: str | None = None,
    ) -> Snapshot:
        """See `GateStore.snapshot`."""
        with self._lock:
            self.calls += 1
            fence = None
            if closing is not None:
                fence = self.close_fences.get(closing, CloseFence(closing))
            return Snapshot(
                state=self.state,
                proposal=self.proposals.get(proposal_id) if proposal_id else None,
                baseline=self.baselines.get(day),
                open_total=self.open_total,
                open_by_symbol={s: self.open_symbol.get(s, 0) for s in symbols},
                open_by_group={g: self.open_group.get(g, 0) for g in groups},
                close_fence=fence,
            )

    def get_proposal(self, proposal_id: str) -> ProposalRecord | None:
        """See `GateStore.get_proposal`."""
        with self._lock:
            self.calls += 1
            return self.proposals.get(proposal_id)

    def reserve(self, reservation: Reservation) -> Conflict | None:
        """See `GateStore.reserve`."""
        r = reservation
        sym = r.record.symbol
        minute = r.now_ms // 60_000
        with self._lock:
            self.calls += 1
            if self._nonce_taken_locked(r.nonce):
                return Conflict(ConflictKind.NONCE_REUSED)
            existing = self.proposals.get(r.record.proposal_id)
            if existing is not None:
                return Conflict(ConflictKind.DUPLICATE, existing)
            seen = r.close_fence
            if seen is not None:
                fence = self.close_fences.get(seen.symbol, CloseFence(seen.symbol))
                held = fence.holder is not None and fence.lease_expires_ms > r.now_ms
                if fence.version != seen.version or held:
                    return Conflict(ConflictKind.CLOSE_IN_FLIGHT, detail=seen.symbol)
                self.close_fences[seen.symbol] = replace(
                    fence,
                    holder=r.record.proposal_id,
                    lease_expires_ms=r.record.lease_expires_ms or r.now_ms,
                )
            if r.opening:
                last = self.symbol_last_open.get(sym)
                if last is not None and last > r.now_ms - r.limits.symbol_window_ms:
                    return Conflict(ConflictKind.SYMBOL_RATE)
                if self.global_minute.get(minute, 0) >= r.limits.global_budget_per_minute:
                    return Conflict(ConflictKind.GLOBAL_RATE)
                if self.open_total >= r.limits.max_open_total:
                    return Conflict(ConflictKind.OPEN_TOTAL)
                if self.open_symbol.get(sym, 0) >= r.limits.max_open_per_symbol:
                    return Conflict(ConflictKind.OPEN_SYMBOL)
                groups = r.structure.groups if r.structure else ()
                for g in groups:
                    if self.open_group.get(g, 0) >= r.limits.group_caps.get(g, 1 << 30):
                        return Conflict(ConflictKind.OPEN_GROUP, detail=g)
                self.symbol_last_open[sym] = r.now_ms
                self.open_total += 1
                self.open_symbol[sym] = self.open_symbol.get(sym, 0) + 1
                for g in groups:
                    self.open_group[g] = self.open_group.get(g, 0) + 1
                if r.structure is not None:
                    self.structures[r.structure.proposal_id] = r.structure
            self.global_minute[minute] = self.global_minute.get(minute, 0) + 1
            self.proposals[r.record.proposal_id] = r.record
            self.intents[r.intent.proposal_id] = r.intent
            if r.nonce is not None:
                self.nonces[r.nonce.nonce] = r.nonce
            return None

    def record_rejection(
        self, record: ProposalRecord, audit: AuditEntry, nonce: NonceUse | None = None
    ) -> Conflict | None:
        """See `GateStore.record_rejection`."""
        with self._lock:
            self.calls += 1
            if self._nonce_taken_locked(nonce):
                return Conflict(ConflictKind.NONCE_REUSED)
            existing = self.proposals.get(record.proposal_id)
            if existing is not None:
                return Conflict(ConflictKind.DUPLICATE, existing)
            self.proposals[record.proposal_id] = record
            self.audit.append(audit)
            if nonce is not None:
                self.nonces[nonce.nonce] = nonce
            return None

    def claim_nonce(self, use: NonceUse) -> bool:
        """See `GateStore.claim_nonce`."""
        with self._lock:
            self.calls += 1
            if self._nonce_taken_locked(use):
                return False
            self.nonces[use.nonce] = use
            return True

    def record_outcome(self, outcome: Outcome, expect_status: str | None) -> bool:
        """See `GateStore.record_outcome`."""
        o = outcome
        with self._lock:
            self.calls += 1
            current = self.proposals.get(o.proposal_id)
            if current is None or (expect_status and current.status != expect_status):
                return False
            self.proposals[o.proposal_id] = replace(
                current,
                status=STATUS_DECIDED,
                decision=o.decision,
                reason_code=o.reason_code,
                reason=o.reason,
                order_id=o.order_id,
                order_state=o.order_state,
                updated_at_ms=o.now_ms,
            )
            intent = self.intents.get(o.proposal_id)
            if intent is not None:
                self.intents[o.proposal_id] = replace(
                    intent, pending=not o.settled, order_id=o.order_id, order_state=o.order_state
                )
            self.audit.append(o.audit)
            if o.release is not None:
                self._release_locked(o.release)
            fence = self.close_fences.get(o.close_symbol or "")
            if fence is not None and o.settled:
                self.close_fences[fence.symbol] = CloseFence(fence.symbol, fence.version + 1)
            return True

    def update_order(
        self,
        proposal_id: str,
        order_state: str,
        filled_quantity: int,
        avg_fill_price: str | None,
        now_ms: int,
    ) -> None:
        """See `GateStore.update_order`."""
        with self._lock:
            self.calls += 1
            current = self.proposals.get(proposal_id)
            if current is not None:
                self.proposals[proposal_id] = replace(
                    current,
                    order_state=order_state,
                    filled_quantity=filled_quantity,
                    avg_fill_price=avg_fill_price,
                    updated_at_ms=now_ms,
                )

    def pending_intents(self) -> list[IntentRecord]:
        """See `GateStore.pending_intents`."""
        with self._lock:
            self.calls += 1
            return sorted(
                (i for i in self.intents.values() if i.pending), key=lambda i: i.created_at_ms
            )

    def expired_leases(self, now_ms: int) -> list[ProposalRecord]:
        """See `GateStore.expired_leases`."""
        with self._lock:
            self.calls += 1
            return sorted(
                (
                    p
                    for p in self.proposals.values()
                    if p.status == STATUS_IN_PROGRESS and p.lease_expires_ms < now_ms
                ),
                key=lambda p: p.lease_expires_ms,
            )

    def open_structures(self) -> list[StructureRecord]:
        """See `GateStore.open_structures`."""
        with self._lock:
            self.calls += 1
            return list(self.structures.values())

    def release_structure(self, structure: StructureRecord) -> bool:
        """See `GateStore.release_structure`."""
        with self._lock:
            self.calls += 1
            return self._release_locked(structure)

    def _release_locked(self, structure: StructureRecord) -> bool:
        if self.structures.pop(structure.proposal_id, None) is None:
            return False
        self.open_total -= 1
        self.open_symbol[structure.symbol] = self.open_symbol.get(structure.symbol, 0) - 1
        for g in structure.groups:
            self.open_group[g] = self.open_group.get(g, 0) - 1
        return True

    def get_state(self) -> StateRecord:
        """See `GateStore.get_state`."""
        with self._lock:
            self.calls += 1
            return self.state

    def set_state(
        self, record: StateRecord, only_from: Sequence[str] = (), audit: AuditEntry | None = None
    ) -> bool:
        """See `GateStore.set_state`."""
        with self._lock:
            self.calls += 1
            if only_from and self.state.state not in only_from:
                return False
            self.state = record
            if audit is not None:
                self.audit.append(audit)
            return True

    def put_heartbeat(self, heartbeat: Heartbeat) -> None:
        """See `GateStore.put_heartbeat`."""
        with self._lock:
            self.calls += 1
            self.heartbeat = heartbeat

    def get_heartbeat(self) -> Heartbeat | None:
        """See `GateStore.get_heartbeat`."""
        with self._lock:
            self.calls += 1
            return self.heartbeat

    def put_baseline_if_absent(self, day: str, equity: Decimal, now_ms: int) -> Decimal:
        """See `GateStore.put_baseline_if_absent`."""
        with self._lock:
            self.calls += 1
            return self.baselines.setdefault(day, equity)

    def append_audit(self, entry: AuditEntry) -> None:
        """See `GateStore.append_audit`."""
        with self._lock:
            self.calls += 1
            self.audit.append(entry)

    def audit_for_day(self, day: str, limit: int = 1000) -> list[AuditEntry]:
        """See `GateStore.audit_for_day`."""
        with self._lock:
            self.calls += 1
            rows = sorted((a for a in self.audit if a.day == day), key=lambda a: a.ts_ms)
            return rows[:limit]

    def audit_for_symbol(self, symbol: str, limit: int = 100) -> list[AuditEntry]:
        """See `GateStore.audit_for_symbol`."""
        with self._lock:
            self.calls += 1
            rows = sorted((a for a in self.audit if a.symbol == symbol), key=lambda a: -a.ts_ms)
            return rows[:limit]

    def get_doc(self, key: str) -> dict[str, str] | None:
        """See `GateStore.get_doc`."""
        with self._lock:
            self.calls += 1
            doc = self.docs.get(key)
            return dict(doc) if doc is not None else None

    def put_doc(self, key: str, doc: Mapping[str, str], ttl_s: int = 0) -> None:
        """See `GateStore.put_doc`."""
        with self._lock:
            self.calls += 1
            self.docs[key] = dict(doc)
