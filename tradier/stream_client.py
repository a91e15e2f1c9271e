"""The market-data WebSocket client: owns the socket, the session and the reconnect policy.

Decoding is `tradier.stream`'s job. Each connection gets a fresh session, created right
before connecting (a session id must be used within 5 minutes, and a reconnect needs a
new one). The client reconnects forever with jittered exponential backoff that resets
once a connection delivers data, reconnects when the server reports a lost session or
when a watchdog sees no data for `watchdog_s` during market hours (Tradier has no
heartbeat), and stops for good only on `close()` or a token that cannot stream
(`StreamAuthError`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Final

import httpx
import msgspec
import websockets
from websockets.asyncio.client import ClientConnection, connect

from tradier.client import AsyncTradierClient
from tradier.clock import Clock, SystemClock
from tradier.errors import StreamAuthError, TradierError
from tradier.rest import Backoff
from tradier.stream import StreamError, StreamEvent, decode_frames

EVENT_TYPES: Final = ("trade", "quote", "summary", "timesale", "tradex")
# Tradier wants at least one symbol; QuantConnect subscribes this one when it has none.
EMPTY_SYMBOL: Final = "$empty$"
PING_INTERVAL_S: Final = 10.0
log = logging.getLogger(__name__)


class _Reconnect(Exception):
    """Internal: leave this connection and open a new one."""


def _always() -> bool:
    return True


class MarketStream:
    """Async iterator of market events from Tradier's WebSocket, reconnecting forever."""

    def __init__(
        self,
        rest_base_url: str,
        ws_url: str,
        token: str,
        symbols: Sequence[str],
        *,
        filter: Sequence[str] | None = None,
        backoff: Backoff | None = None,
        watchdog_s: float = 60.0,
        clock: Clock | None = None,
        is_market_hours: Callable[[], bool] = _always,
        linebreak: bool = False,
        valid_only: bool = True,
        compression: str | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        for kind in filter or ():
            if kind not in EVENT_TYPES:
                raise ValueError(f"filter: {kind!r} is not one of {', '.join(EVENT_TYPES)}")
        if watchdog_s <= 0:
            raise ValueError("watchdog_s: must be > 0")
        self.ws_url = ws_url
        self.symbols: list[str] = list(symbols)
        self.filter = list(filter) if filter else None
        self.backoff = backoff or Backoff(initial_s=0.5, max_s=30.0)
        self.watchdog_s = watchdog_s
        self.linebreak = linebreak
        self.valid_only = valid_only
        # Payloads are ~150 bytes: per-message deflate costs more CPU than it saves.
        self.compression = compression
        self._clock = clock or SystemClock()
        self._is_market_hours = is_market_hours
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._rest = AsyncTradierClient(
            rest_base_url, token, transport=transport, sleep=sleep, clock=self._clock, rng=self._rng
        )
        self._ws: ClientConnection | None = None
        self._session_id: str | None = None
        self._closed = False
        self._iterator: AsyncIterator[StreamEvent] | None = None
        # counters for tests and health
        self.connects = 0
        self.reconnects = 0
        self.sessions = 0
        self.frames = 0
        self.events = 0
        self.errors = 0
        self.watchdog_trips = 0
        self.last_error: str | None = None
        self.last_data_ms: int | None = None

    def subscription(self, session_id: str) -> bytes:
        """The subscription payload sent after connecting (and again on symbol changes)."""
        payload: dict[str, object] = {
            "symbols": self.symbols or [EMPTY_SYMBOL],
            "sessionid": session_id,
            "linebreak": self.linebreak,
            "validOnly": self.valid_only,
        }
        if self.filter:
            payload["filter"] = self.filter
        return msgspec.json.encode(payload)

    async def set_symbols(self, symbols: Sequence[str]) -> None:
        """Change the subscription; resent on the live socket with the same session."""
        self.symbols = list(symbols)
        ws, session_id = self._ws, self._session_id
        if ws is not None and session_id is not None:
            with contextlib.suppress(websockets.ConnectionClosed):
                await ws.send(self.subscription(session_id).decode())

    async def close(self) -> None:
        """Stop streaming; the iterator ends."""
        self._closed = True
        if self._ws is not None:
            await self._ws.close()
        await self._rest.aclose()

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        # One stream, however many `async for` loops read it (a loop may break and resume).
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    async def _events(self) -> AsyncIterator[StreamEvent]:
        attempt = 0
        try:
            while not self._closed:
                try:
                    async for event in self._connection():
                        attempt = 0  # a connection that delivers data is healthy
                        yield event
                except StreamAuthError:
                    raise
                except (_Reconnect, TradierError, OSError, TimeoutError) as exc:
                    self._note(exc)
                except websockets.InvalidStatus as exc:
                    status = exc.response.status_code
                    if status in (401, 403):
                        raise StreamAuthError(f"WebSocket HTTP {status}", status=status) from exc
                    self._note(exc)
                except websockets.WebSocketException as exc:
                    self._note(exc)
                if self._closed:
                    break
                self.reconnects += 1
                delay = self.backoff.delay(attempt, self._rng)
                # WARNING: a lost stream is the first thing an operator needs to see.
                log.warning(
                    "market stream lost (%s); reconnecting in %.1f s (attempt %d)",
                    self.last_error,
                    delay,
                    attempt + 1,
                )
                await self._sleep(delay)
                attempt += 1
        finally:
            self._ws = None
            if self._closed:
                await self._rest.aclose()

    def _note(self, exc: BaseException) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"

    async def _connection(self) -> AsyncIterator[StreamEvent]:
        session = await self._rest.create_market_session()
        self.sessions += 1
        async with connect(
            self.ws_url,
            ping_interval=PING_INTERVAL_S,
            ping_timeout=20,
            max_size=2**22,
            compression=self.compression,
        ) as ws:
            self._ws, self._session_id = ws, session.sessionid
            self.connects += 1
            if self.connects == 1:
                log.info("market stream connected to %s", self.ws_url)
            else:
                log.warning("market stream reconnected (connection %d)", self.connects)
            await ws.send(self.subscription(session.sessionid).decode())
            watchdog = asyncio.create_task(self._watchdog(ws))
            try:
                while not self._closed:
                    message = await ws.recv(decode=False)
                    self.frames += 1
                    self.last_data_ms = self._clock.now_ms()
                    for item in decode_frames(message):
                        if isinstance(item, StreamError):
                            self._error_frame(item)
                            continue
                        self.events += 1
                        yield item
            except websockets.ConnectionClosed as exc:
                if watchdog.done() and not watchdog.cancelled() and watchdog.result():
                    raise _Reconnect(f"no data for {self.watchdog_s} s in market hours") from exc
                if not self._closed:
                    raise _Reconnect(f"connection closed: {exc}") from exc
            finally:
                watchdog.cancel()
                self._ws = None

    async def _watchdog(self, ws: ClientConnection) -> bool:
        """Close the socket after `watchdog_s` without a frame during market hours.

        A task beside the receive loop (not a timeout per frame): it costs nothing per frame.
        Returns True when it closed the socket.
        """
        loop = asyncio.get_running_loop()
        seen, since = self.frames, loop.time()
        while True:
            await asyncio.sleep(self.watchdog_s / 4)
            now = loop.time()
            if self.frames != seen:
                seen, since = self.frames, now
            elif now - since >= self.watchdog_s:
                if self._is_market_hours():
                    self.watchdog_trips += 1
                    await ws.close(code=1000, reason="no data")
                    return True
                since = now  # quiet outside market hours is normal: keep waiting

    def _error_frame(self, error: StreamError) -> None:
        self.errors += 1
        self.last_error = error.error
        if error.session_lost:
            raise _Reconnect(f"server: {error.error}")
