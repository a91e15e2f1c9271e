"""The market WebSocket: stream sessions (5-minute, single-use) and subscriptions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

SESSION_TTL_MS = 5 * 60_000
EVENT_TYPES = ("trade", "quote", "summary", "timesale", "tradex")
EMPTY_SYMBOL = "$empty$"


@dataclass(slots=True)
class StreamSession:
    """A session id: usable once within 5 minutes, then bound to one connection."""

    id: str
    created_ms: int
    connection: int | None = None


@dataclass(slots=True)
class Subscriber:
    """One WebSocket connection and what it asked for."""

    id: int
    ws: web.WebSocketResponse
    session: str | None = None
    symbols: set[str] = field(default_factory=set)
    filter: set[str] = field(default_factory=lambda: set(EVENT_TYPES))
    linebreak: bool = False


class StreamHub:
    """Sessions and subscribers; the server's ticker publishes payloads through it."""

    def __init__(
        self,
        now_ms: Callable[[], int],
        is_valid_symbol: Callable[[str], bool],
        new_id: Callable[[], str],
    ) -> None:
        self._now_ms = now_ms
        self._is_valid_symbol = is_valid_symbol
        self._new_id = new_id
        self.sessions: dict[str, StreamSession] = {}
        self.subscribers: dict[int, Subscriber] = {}
        self._next_conn = 1

    def create_session(self) -> str:
        """A new session id."""
        sid = self._new_id()
        self.sessions[sid] = StreamSession(sid, self._now_ms())
        return sid

    def _claim(self, sid: str, conn: int) -> bool:
        session = self.sessions.get(sid)
        if session is None:
            return False
        if session.connection == conn:
            return True
        if session.connection is not None or self._now_ms() - session.created_ms > SESSION_TTL_MS:
            return False
        session.connection = conn
        return True

    def expire_all(self) -> int:
        """Forget every session (live connections keep streaming, as on Tradier)."""
        count = len(self.sessions)
        self.sessions.clear()
        return count

    async def drop_all(self) -> int:
        """Close every WebSocket."""
        subs = list(self.subscribers.values())
        for sub in subs:
            await sub.ws.close(code=1001, message=b"dropped by simulator")
        return len(subs)

    def wanted_symbols(self) -> set[str]:
        """Union of every subscriber's symbols."""
        out: set[str] = set()
        for sub in self.subscribers.values():
            out |= sub.symbols
        return out

    async def publish(self, payloads: list[dict[str, Any]]) -> None:
        """Send each payload to the subscribers that asked for its symbol and type."""
        if not payloads or not self.subscribers:
            return
        for sub in list(self.subscribers.values()):
            lines = [
                json.dumps(p, separators=(",", ":"))
                for p in payloads
                if p["symbol"] in sub.symbols and p["type"] in sub.filter
            ]
            if not lines or sub.ws.closed:
                continue
            try:
                for line in lines:
                    await sub.ws.send_str(line + "\n" if sub.linebreak else line)
            except (ConnectionError, RuntimeError):
                continue

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """The /v1/markets/events WebSocket endpoint."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sub = Subscriber(self._next_conn, ws)
        self._next_conn += 1
        self.subscribers[sub.id] = sub
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    error = self._subscribe(sub, msg.data)
                    if error is not None:
                        await ws.send_str(json.dumps({"error": error}))
                elif msg.type == WSMsgType.ERROR:
                    break
        except asyncio.CancelledError:
            raise
        finally:
            self.subscribers.pop(sub.id, None)
            if sub.session is not None:
                # Single use: the id dies with its connection; a reconnect needs a new one.
                self.sessions.pop(sub.session, None)
        return ws

    def _subscribe(self, sub: Subscriber, raw: str) -> str | None:
        try:
            body = json.loads(raw)
        except ValueError:
            return "invalid json"
        if not isinstance(body, dict):
            return "invalid json"
        sid = body.get("sessionid")
        if not isinstance(sid, str) or not self._claim(sid, sub.id):
            return "session not found"
        symbols = body.get("symbols")
        if isinstance(symbols, str):
            symbols = [s for s in symbols.split(",") if s]
        if not isinstance(symbols, list) or not symbols:
            return "symbols is required"
        for sym in symbols:
            if not isinstance(sym, str) or (sym != EMPTY_SYMBOL and not self._is_valid_symbol(sym)):
                return f"{sym} is not a valid symbol"
        wanted = body.get("filter")
        if wanted is None:
            kinds = set(EVENT_TYPES)
        elif isinstance(wanted, list) and all(k in EVENT_TYPES for k in wanted):
            kinds = set(wanted)
        else:
            return f"filter must be a list of {', '.join(EVENT_TYPES)}"
        sub.session = sid
        sub.symbols = {s for s in symbols if s != EMPTY_SYMBOL}
        sub.filter = kinds
        sub.linebreak = bool(body.get("linebreak", False))
        return None
