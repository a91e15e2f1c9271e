"""The market stream: sessions (5-minute, single-use) and subscribers, over a WebSocket or
the HTTP stream (a long chunked response) on the same path."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import WSMsgType, web

from tradier.sim.sessions import SessionBook

HTTP_IDLE_MS = 15 * 60_000
EVENT_TYPES = ("trade", "quote", "summary", "timesale", "tradex")
EMPTY_SYMBOL = "$empty$"


class Sink(Protocol):
    """Where a subscriber's payloads go."""

    @property
    def closed(self) -> bool:
        """True once the connection is gone."""
        ...

    async def send(self, text: str) -> None:
        """Send one payload."""
        ...

    async def close(self) -> None:
        """End the connection."""
        ...


class _WsSink:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def send(self, text: str) -> None:
        await self.ws.send_str(text)

    async def close(self) -> None:
        await self.ws.close(code=1001, message=b"dropped by simulator")


class _HttpSink:
    def __init__(self, response: web.StreamResponse) -> None:
        self.response = response
        self.done = asyncio.Event()

    @property
    def closed(self) -> bool:
        return self.done.is_set()

    async def send(self, text: str) -> None:
        try:
            await self.response.write(text.encode())
        except (ConnectionError, RuntimeError):
            self.done.set()

    async def close(self) -> None:
        self.done.set()


@dataclass(slots=True)
class Subscriber:
    """One connection and what it asked for."""

    id: int
    sink: Sink
    session: str | None = None
    symbols: set[str] = field(default_factory=set)
    filter: set[str] = field(default_factory=lambda: set(EVENT_TYPES))
    linebreak: bool = False
    last_sent_ms: int = 0


@dataclass(frozen=True, slots=True)
class StreamStats:
    """What the market stream has delivered so far, and to how many live subscriptions."""

    frames_sent: int  # payloads delivered to subscribed connections (market and blasts)
    subscribed: int  # open connections with at least one symbol


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
        self.sessions = SessionBook(now_ms, new_id)
        self.frames_sent = 0  # payloads delivered to subscribers (a barrier for replays)
        self.subscribers: dict[int, Subscriber] = {}
        self._next_conn = 1

    def create_session(self) -> str:
        """A new session id."""
        return self.sessions.create()

    def expire_all(self) -> int:
        """Forget every session (live connections keep streaming, as on Tradier)."""
        return self.sessions.expire_all()

    async def drop_all(self) -> int:
        """Close every stream connection (WebSocket and HTTP)."""
        subs = list(self.subscribers.values())
        for sub in subs:
            await sub.sink.close()
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
            if not lines or sub.sink.closed:
                continue
            sub.last_sent_ms = self._now_ms()
            try:
                for line in lines:
                    await sub.sink.send(line + "\n" if sub.linebreak else line)
                    self.frames_sent += 1
            except (ConnectionError, RuntimeError):
                continue

    def stats(self) -> StreamStats:
        """Frames delivered so far and open connections with symbols subscribed."""
        return StreamStats(self.frames_sent, len(self._subscribed()))

    async def blast(self, frames: Sequence[str]) -> int:
        """Send every frame to every subscribed connection as fast as possible, whatever its
        symbols and filter; returns the frames delivered (counted in `frames_sent`)."""
        sent = 0
        for sub in self._subscribed():
            send = sub.sink.send
            texts = [f + "\n" for f in frames] if sub.linebreak else frames
            try:
                for text in texts:
                    await send(text)
                    sent += 1
            except (ConnectionError, RuntimeError):
                continue
        self.frames_sent += sent
        return sent

    def _subscribed(self) -> list[Subscriber]:
        return [s for s in self.subscribers.values() if s.symbols and not s.sink.closed]

    def _add(self, sink: Sink) -> Subscriber:
        sub = Subscriber(self._next_conn, sink, last_sent_ms=self._now_ms())
        self._next_conn += 1
        self.subscribers[sub.id] = sub
        return sub

    def _remove(self, sub: Subscriber) -> None:
        self.subscribers.pop(sub.id, None)
        if sub.session is not None:
            # Single use: the id dies with its connection; a reconnect needs a new one.
            self.sessions.release(sub.session)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """/v1/markets/events: a WebSocket when upgraded, else the HTTP stream."""
        ws = web.WebSocketResponse()
        if not ws.can_prepare(request).ok:
            return await self._http_stream(request)
        await ws.prepare(request)
        sub = self._add(_WsSink(ws))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    error = self._subscribe(sub, msg.data)
                    if error is not None:
                        await ws.send_str(json.dumps({"error": error}))
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._remove(sub)
        return ws

    async def _http_stream(self, request: web.Request) -> web.StreamResponse:
        # Same parameters as the WebSocket payload, as comma-separated query or form fields.
        params: dict[str, str] = dict(request.query)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.post()).items()})
        body: dict[str, Any] = {
            "sessionid": params.get("sessionid"),
            "symbols": params.get("symbols", ""),
            "linebreak": params.get("linebreak", "false").lower() == "true",
        }
        if params.get("filter"):
            body["filter"] = [k for k in params["filter"].split(",") if k]
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        sink = _HttpSink(response)
        sub = self._add(sink)
        try:
            error = self._subscribe(sub, json.dumps(body))
            if error is not None:
                return web.json_response({"error": error}, status=400)
            response.enable_chunked_encoding()
            await response.prepare(request)
            # Tradier closes the HTTP stream after 15 minutes without data.
            while not sink.closed and self._now_ms() - sub.last_sent_ms < HTTP_IDLE_MS:
                try:
                    await asyncio.wait_for(sink.done.wait(), timeout=0.05)
                except TimeoutError:
                    continue
            return response
        finally:
            self._remove(sub)

    def _subscribe(self, sub: Subscriber, raw: str) -> str | None:
        body = self.sessions.open_payload(raw, sub.id)
        if isinstance(body, str):
            return body
        sid = str(body["sessionid"])
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
