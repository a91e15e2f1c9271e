"""The gate store's records: what is read and written, independent of the backend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

STATUS_IN_PROGRESS = "IN_PROGRESS"
STATUS_DECIDED = "DECIDED"
DEFAULT_STATE = "ACTIVE"


class ConflictKind(StrEnum):
    """Which condition of an atomic write failed."""

    DUPLICATE = "DUPLICATE"
    SYMBOL_RATE = "SYMBOL_RATE"
    GLOBAL_RATE = "GLOBAL_RATE"
    OPEN_TOTAL = "OPEN_TOTAL"
    OPEN_SYMBOL = "OPEN_SYMBOL"
    OPEN_GROUP = "OPEN_GROUP"
    NONCE_REUSED = "NONCE_REUSED"
    CLOSE_IN_FLIGHT = "CLOSE_IN_FLIGHT"


@dataclass(frozen=True)
class CloseFence:
    """The per-symbol fence that makes a close's account read and its order one step.

    A close reads the account, then sends; two closes of one symbol on different Lambda
    instances could both read before either order reaches the broker. So the snapshot reads
    the fence, the reservation takes it only if its `version` is unchanged and nobody
    holds it (or the holder's lease has run out), and the settled outcome lets it go and
    bumps the version: a close that read the account before another close's order landed
    is refused (CLOSE_IN_PROGRESS) instead of being judged on a stale account."""

    symbol: str
    version: int = 0
    holder: str | None = None
    lease_expires_ms: int = 0


@dataclass(frozen=True)
class Conflict:
    """A refused atomic write: the condition that failed and, for a duplicate, the record."""

    kind: ConflictKind
    existing: ProposalRecord | None = None
    detail: str = ""


@dataclass(frozen=True)
class StateRecord:
    """The trading state and who set it."""

    state: str = DEFAULT_STATE
    reason: str = "initial"
    actor: str = "system"
    updated_at_ms: int = 0


@dataclass(frozen=True)
class ProposalRecord:
    """One proposal: idempotency record, decision and order state machine."""

    proposal_id: str
    body_hash: str
    symbol: str
    intent: str
    status: str
    created_at_ms: int
    updated_at_ms: int
    decision: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    order_id: str | None = None
    order_state: str | None = None
    filled_quantity: int = 0
    avg_fill_price: str | None = None
    lease_expires_ms: int = 0
    ttl_s: int = 0
    body: str = ""


@dataclass(frozen=True)
class IntentRecord:
    """The order-intent ledger entry written before any order is sent."""

    proposal_id: str
    symbol: str
    created_at_ms: int
    pending: bool = True
    order_id: str | None = None
    order_state: str = "INTENT"


@dataclass(frozen=True)
class StructureRecord:
    """An open structure: counted against the caps until its positions are gone."""

    proposal_id: str
    symbol: str
    groups: tuple[str, ...]
    instruments: tuple[str, ...]
    opened_at_ms: int


@dataclass(frozen=True)
class Limits:
    """The entry-side limits enforced by `reserve` for an opening proposal."""

    symbol_window_ms: int
    global_budget_per_minute: int
    max_open_total: int
    max_open_per_symbol: int
    group_caps: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail, by day (and by symbol through the index)."""

    day: str
    ts_ms: int
    ref: str
    kind: str
    symbol: str = ""
    decision: str = ""
    reason_code: str = ""
    detail: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NonceUse:
    """A signed request's nonce, kept until no request carrying it could still be fresh."""

    nonce: str
    used_at_ms: int
    expires_at_ms: int

    @classmethod
    def of(cls, nonce: str, timestamp_ms: int, now_ms: int, tolerance_ms: int) -> NonceUse:
        """The use of `nonce` signed at `timestamp_ms`, accepted at `now_ms`."""
        # A request is fresh until timestamp + tolerance on the gate's clock; one more
        # window covers another container whose clock lags this one's.
        return cls(nonce, now_ms, max(timestamp_ms, now_ms) + 2 * tolerance_ms)

    @property
    def ttl_s(self) -> int:
        """DynamoDB TTL (epoch seconds); deletion runs late, so reads check expiry too."""
        return self.expires_at_ms // 1000 + 1


@dataclass(frozen=True)
class Reservation:
    """Everything written atomically before an order is sent."""

    record: ProposalRecord
    intent: IntentRecord
    now_ms: int
    opening: bool
    limits: Limits
    structure: StructureRecord | None = None
    nonce: NonceUse | None = None
    close_fence: CloseFence | None = None  # a close: the fence as the snapshot saw it


@dataclass(frozen=True)
class Outcome:
    """The result of a send: recorded on the proposal and its intent, with an audit line."""

    proposal_id: str
    decision: str
    reason_code: str | None
    reason: str | None
    order_id: str | None
    order_state: str
    now_ms: int
    settled: bool
    audit: AuditEntry
    release: StructureRecord | None = None
    close_symbol: str | None = None  # a close: let its fence go once settled


@dataclass(frozen=True)
class Heartbeat:
    """The brain's last liveness report."""

    at_ms: int
    summary: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """What the pipeline reads in one call before deciding."""

    state: StateRecord
    proposal: ProposalRecord | None
    baseline: Decimal | None
    open_total: int
    open_by_symbol: Mapping[str, int]
    open_by_group: Mapping[str, int]
    close_fence: CloseFence | None = None


def proposal_ttl_s(now_ms: int) -> int:
    """Old proposal records expire after 90 days (DynamoDB TTL, epoch seconds)."""
    return now_ms // 1000 + 90 * 86_400


def rate_ttl_s(now_ms: int) -> int:
    """Rate-limit items expire a few minutes after their window."""
    return now_ms // 1000 + 600
