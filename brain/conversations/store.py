"""The sessions store: a small interface, one in-memory implementation (here) and one on
DynamoDB (`store_dynamo`), both held to the same conformance suite.

Primitives are chosen so that every rule is one store operation, never read-then-write:
appending a message is conditioned on the session being live (sliding expiry checked in
the write, not only on read); an insight is put if its key is absent; a recommendation is
claimed by one conditional state change (PENDING at the version seen, not expired), so
any number of concurrent confirms produce one claim.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Protocol

from brain.conversations.errors import SessionExpired
from brain.conversations.records import (
    SESSION_TTL_MS,
    Insight,
    Message,
    Recommendation,
    RecommendationState,
    Session,
    Summary,
)


class SessionStore(Protocol):
    """Where conversations, memories and pending recommendations live."""

    def create_session(self, session_id: str, now_ms: int) -> Session:
        """A new, empty session (the id must be new)."""
        ...

    def get_session(self, session_id: str, now_ms: int) -> Session | None:
        """The session if it exists and is live at `now_ms`; None otherwise."""
        ...

    def append(self, message: Message) -> Session:
        """Add `message` and slide the expiry; raises `SessionExpired` when the session
        is unknown or expired at `message.at_ms`."""
        ...

    def messages(self, session_id: str, limit: int) -> list[Message]:
        """The newest `limit` messages, oldest first."""
        ...

    def put_summary(self, summary: Summary) -> None:
        """Keep (or replace) the summary of one session about one symbol."""
        ...

    def history(
        self, symbol: str, since_ms: int, limit: int, exclude_session: str | None = None
    ) -> list[Summary]:
        """Up to `limit` summaries about `symbol` since `since_ms`, newest first."""
        ...

    def put_insight(self, insight: Insight) -> bool:
        """Store `insight` unless one with its symbol and key exists; True when stored."""
        ...

    def insights(self, symbol: str, now_ms: int, limit: int) -> list[Insight]:
        """Up to `limit` unexpired insights about `symbol`, newest first."""
        ...

    def put_recommendation(self, recommendation: Recommendation) -> None:
        """Store a new pending recommendation."""
        ...

    def get_recommendation(self, recommendation_id: str) -> Recommendation | None:
        """The recommendation, in whatever state, or None."""
        ...

    def reprice(
        self, recommendation_id: str, version: int, structure: str, expires_at_ms: int
    ) -> bool:
        """Replace a pending recommendation's structure (version + 1) if still at
        `version`; True when replaced."""
        ...

    def claim(self, recommendation_id: str, version: int, now_ms: int) -> bool:
        """PENDING at `version` and unexpired → CONFIRMING, in one conditional write;
        True for the one caller that made the change."""
        ...

    def decide(self, recommendation_id: str, decision: str) -> None:
        """Store the gate's decision (JSON) of a claimed recommendation → DECIDED."""
        ...


class MemorySessionStore:
    """`SessionStore` in a dict, one lock around every operation (like DynamoDB's
    per-item linearizability, a little stronger)."""

    def __init__(self, ttl_ms: int = SESSION_TTL_MS) -> None:
        self._ttl_ms = ttl_ms
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._messages: dict[str, dict[str, Message]] = {}
        self._summaries: dict[tuple[str, str], Summary] = {}
        self._insights: dict[tuple[str, str], Insight] = {}
        self._recommendations: dict[str, Recommendation] = {}

    def create_session(self, session_id: str, now_ms: int) -> Session:
        """See `SessionStore.create_session`."""
        with self._lock:
            if session_id in self._sessions:
                raise ValueError("session id already used")
            session = Session(session_id, now_ms, now_ms)
            self._sessions[session_id] = session
            self._messages[session_id] = {}
            return session

    def get_session(self, session_id: str, now_ms: int) -> Session | None:
        """See `SessionStore.get_session`."""
        with self._lock:
            session = self._sessions.get(session_id)
        return session if session is not None and session.live(now_ms, self._ttl_ms) else None

    def append(self, message: Message) -> Session:
        """See `SessionStore.append`."""
        with self._lock:
            session = self._sessions.get(message.session_id)
            if session is None or not session.live(message.at_ms, self._ttl_ms):
                raise SessionExpired(message.session_id)
            self._messages[message.session_id][message.message_id] = message
            updated = replace(
                session,
                last_at_ms=max(session.last_at_ms, message.at_ms),
                message_count=session.message_count + 1,
                symbols=tuple(sorted(set(session.symbols) | set(message.symbols))),
            )
            self._sessions[message.session_id] = updated
            return updated

    def messages(self, session_id: str, limit: int) -> list[Message]:
        """See `SessionStore.messages`."""
        with self._lock:
            found = self._messages.get(session_id, {})
            keys = sorted(found)[-limit:] if limit > 0 else []
            return [found[k] for k in keys]

    def put_summary(self, summary: Summary) -> None:
        """See `SessionStore.put_summary`."""
        with self._lock:
            self._summaries[(summary.symbol, summary.session_id)] = summary

    def history(
        self, symbol: str, since_ms: int, limit: int, exclude_session: str | None = None
    ) -> list[Summary]:
        """See `SessionStore.history`."""
        with self._lock:
            found = [
                s
                for (sym, sid), s in self._summaries.items()
                if sym == symbol and s.at_ms >= since_ms and sid != exclude_session
            ]
        found.sort(key=lambda s: (s.at_ms, s.session_id), reverse=True)
        return found[:limit]

    def put_insight(self, insight: Insight) -> bool:
        """See `SessionStore.put_insight`."""
        with self._lock:
            key = (insight.symbol, insight.key)
            if key in self._insights:
                return False
            self._insights[key] = insight
            return True

    def insights(self, symbol: str, now_ms: int, limit: int) -> list[Insight]:
        """See `SessionStore.insights`."""
        with self._lock:
            found = [
                i
                for (sym, _), i in self._insights.items()
                if sym == symbol and i.expires_at_ms > now_ms
            ]
        found.sort(key=lambda i: (i.created_at_ms, i.key), reverse=True)
        return found[:limit]

    def put_recommendation(self, recommendation: Recommendation) -> None:
        """See `SessionStore.put_recommendation`."""
        with self._lock:
            if recommendation.recommendation_id in self._recommendations:
                raise ValueError("recommendation id already used")
            self._recommendations[recommendation.recommendation_id] = recommendation

    def get_recommendation(self, recommendation_id: str) -> Recommendation | None:
        """See `SessionStore.get_recommendation`."""
        with self._lock:
            return self._recommendations.get(recommendation_id)

    def reprice(
        self, recommendation_id: str, version: int, structure: str, expires_at_ms: int
    ) -> bool:
        """See `SessionStore.reprice`."""
        with self._lock:
            rec = self._recommendations.get(recommendation_id)
            if rec is None or rec.state != RecommendationState.PENDING or rec.version != version:
                return False
            self._recommendations[recommendation_id] = replace(
                rec, structure=structure, expires_at_ms=expires_at_ms, version=version + 1
            )
            return True

    def claim(self, recommendation_id: str, version: int, now_ms: int) -> bool:
        """See `SessionStore.claim`."""
        with self._lock:
            rec = self._recommendations.get(recommendation_id)
            if (
                rec is None
                or rec.state != RecommendationState.PENDING
                or rec.version != version
                or rec.expired(now_ms)
            ):
                return False
            self._recommendations[recommendation_id] = replace(
                rec, state=RecommendationState.CONFIRMING, claimed_at_ms=now_ms
            )
            return True

    def decide(self, recommendation_id: str, decision: str) -> None:
        """See `SessionStore.decide`."""
        with self._lock:
            rec = self._recommendations[recommendation_id]
            self._recommendations[recommendation_id] = replace(
                rec, state=RecommendationState.DECIDED, decision=decision
            )
