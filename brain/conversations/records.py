"""What the sessions store keeps: sessions, their messages, per-symbol summaries, insights
and pending recommendations. Plain frozen values; the stores turn them into items.

Times are UTC epoch milliseconds. A session is live while `now < last_at_ms + ttl`; the
store checks that on every read, because DynamoDB's own TTL deletes items days late.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

SESSION_TTL_MS = 30 * 60_000  # sliding: 30 minutes after the last message
HISTORY_WINDOW_MS = 7 * 86_400_000  # warm memory looks back this far
RECOMMENDATION_TTL_MS = 10 * 60_000
# 24 url-safe base64 bytes: 192 random bits (the issue asks for at least 128).
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")

Role = Literal["user", "assistant"]


def valid_id(value: str) -> bool:
    """True for the shape of a session or recommendation id (never a proof it exists)."""
    return bool(ID_PATTERN.match(value))


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    """One turn as the trader asked it (validated by `brain.api.requests`)."""

    prompt: str
    watchlist: tuple[str, ...]
    session_id: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """A conversation's header."""

    session_id: str
    created_at_ms: int
    last_at_ms: int
    message_count: int = 0
    symbols: tuple[str, ...] = ()

    def expires_at_ms(self, ttl_ms: int = SESSION_TTL_MS) -> int:
        """When the session ends if nothing more is said."""
        return self.last_at_ms + ttl_ms

    def live(self, now_ms: int, ttl_ms: int = SESSION_TTL_MS) -> bool:
        """True while the sliding expiry has not passed."""
        return now_ms < self.expires_at_ms(ttl_ms)


@dataclass(frozen=True, slots=True)
class Message:
    """One turn's text; its own item (a session never becomes one growing item)."""

    session_id: str
    message_id: str  # sortable: <at_ms:013d>#<random>, unique under concurrent turns
    role: Role
    text: str
    at_ms: int
    symbols: tuple[str, ...] = ()
    recommendation_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """A short account of one session about one symbol, for other sessions' warm memory."""

    symbol: str
    session_id: str
    at_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class Insight:
    """A lesson learned from real outcomes; `provenance` names the proposals it came from."""

    symbol: str
    key: str  # deduplication key: the same lesson is stored once
    text: str
    provenance: tuple[str, ...]
    created_at_ms: int
    expires_at_ms: int


class RecommendationState(StrEnum):
    """Where a recommendation is in its one-way life."""

    PENDING = "PENDING"
    CONFIRMING = "CONFIRMING"  # claimed by one confirm; the proposal is being sent
    DECIDED = "DECIDED"  # the gate's decision is stored
    DECLINED = "DECLINED"


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A concrete structure the brain built, waiting for the trader's yes.

    `structure` is the planned structure as JSON (legs, price, max loss) so a confirm
    trades exactly what was shown; `version` moves when it is re-priced, and a claim is
    conditioned on it."""

    recommendation_id: str
    session_id: str
    symbol: str
    strategy: str
    structure: str
    created_at_ms: int
    expires_at_ms: int
    state: RecommendationState = RecommendationState.PENDING
    version: int = 1
    decision: str | None = None  # the gate's decision as JSON, once DECIDED
    claimed_at_ms: int | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def expired(self, now_ms: int) -> bool:
        """True once its confirmation window has passed."""
        return now_ms >= self.expires_at_ms
