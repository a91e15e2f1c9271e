"""Stream session ids: each must be used within 5 minutes, binds to the first connection
that uses it, and dies with that connection."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SESSION_TTL_MS = 5 * 60_000


@dataclass(slots=True)
class StreamSession:
    """A session id, when it was made, and the connection that claimed it."""

    id: str
    created_ms: int
    connection: int | None = None


class SessionBook:
    """The live session ids of one stream (market or account)."""

    def __init__(self, now_ms: Callable[[], int], new_id: Callable[[], str]) -> None:
        self._now_ms = now_ms
        self._new_id = new_id
        self._sessions: dict[str, StreamSession] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def create(self) -> str:
        """A new session id."""
        sid = self._new_id()
        self._sessions[sid] = StreamSession(sid, self._now_ms())
        return sid

    def claim(self, sid: str, connection: int) -> bool:
        """True when `connection` may use `sid`: its own, or unclaimed and under 5 minutes."""
        session = self._sessions.get(sid)
        if session is None:
            return False
        if session.connection == connection:
            return True
        if session.connection is not None:
            return False
        if self._now_ms() - session.created_ms > SESSION_TTL_MS:
            return False
        session.connection = connection
        return True

    def release(self, sid: str) -> None:
        """Forget a session (its connection closed: a reconnect needs a new id)."""
        self._sessions.pop(sid, None)

    def expire_all(self) -> int:
        """Forget every session; returns how many."""
        count = len(self._sessions)
        self._sessions.clear()
        return count

    def open_payload(self, raw: str, connection: int) -> dict[str, Any] | str:
        """A subscription frame as a dict once its session is claimed, else the error text
        the stream sends back (`invalid json`, `session not found`)."""
        try:
            body = json.loads(raw)
        except ValueError:
            return "invalid json"
        if not isinstance(body, dict):
            return "invalid json"
        sid = body.get("sessionid")
        if not isinstance(sid, str) or not self.claim(sid, connection):
            return "session not found"
        return body
