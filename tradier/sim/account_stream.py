"""The account-events WebSocket (beta at Tradier): order events and a heartbeat.

Subscribe with `{"events": ["order"], "sessionid": "...", "excludeAccounts": []}` after
`POST /v1/accounts/events/session`. Every change of an order's status or filled quantity is
sent as an `order` event (legs carry `parent_id`); a heartbeat goes out every 60 s of
simulated time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from tradier.sim.orders import SimOrder, iso_ms
from tradier.sim.sessions import SessionBook

ACCOUNT_EVENTS_PATH = "/v1/accounts/events"
HEARTBEAT_MS = 60_000


def rfc3339_nanos(ms: int) -> str:
    """UTC RFC 3339 with nanoseconds, as the account heartbeat writes it."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}000000Z"


def order_event(order: SimOrder, parent_id: int | None = None) -> dict[str, Any]:
    """An `order` event: numbers as numbers, dates ISO with Z."""
    body: dict[str, Any] = {
        "id": order.id,
        "event": "order",
        "status": order.status,
        "type": order.type,
        "price": float(order.price or 0),
        "stop_price": float(order.stop or 0),
        "avg_fill_price": float(order.avg_fill_price),
        "exec_quantity": float(order.exec_quantity),
        "last_fill_quantity": float(order.last_fill_quantity),
        "remaining_quantity": float(order.remaining),
        "create_date": iso_ms(order.create_ms),
        "transaction_date": iso_ms(order.transaction_ms or order.create_ms),
        "account": order.account,
    }
    if parent_id is not None:
        body["parent_id"] = parent_id
    if order.tag:
        body["tag"] = order.tag
    return body


@dataclass(slots=True)
class _Listener:
    id: int
    ws: web.WebSocketResponse
    session: str | None = None
    excluded: bool = False


class AccountHub:
    """Account-event sessions and listeners; the ticker calls `publish` every tick."""

    def __init__(self, now_ms: Callable[[], int], new_id: Callable[[], str]) -> None:
        self._now_ms = now_ms
        self.sessions = SessionBook(now_ms, new_id)
        self.listeners: dict[int, _Listener] = {}
        self._seen: dict[int, tuple[str, int]] = {}
        self._next_conn = 1
        self._last_heartbeat = now_ms()

    def create_session(self) -> str:
        """A new session id."""
        return self.sessions.create()

    async def drop_all(self) -> int:
        """Close every account WebSocket."""
        listeners = list(self.listeners.values())
        for listener in listeners:
            await listener.ws.close(code=1001, message=b"dropped by simulator")
        return len(listeners)

    def _changes(self, orders: list[SimOrder]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        for order in orders:
            for item, parent in [(order, None), *[(leg, order.id) for leg in order.legs]]:
                key = (item.status, item.exec_quantity)
                if self._seen.get(item.id) != key:
                    self._seen[item.id] = key
                    events.append(order_event(item, parent))
        return events

    async def publish(self, now: int, orders: list[SimOrder]) -> None:
        """Send order changes since the last call, and a heartbeat when one is due."""
        events = self._changes(orders)
        if now - self._last_heartbeat >= HEARTBEAT_MS or now < self._last_heartbeat:
            self._last_heartbeat = now
            heartbeat = {"event": "heartbeat", "status": "active", "timestamp": rfc3339_nanos(now)}
            events.append(heartbeat)
        for listener in list(self.listeners.values()):
            if listener.session is None or listener.ws.closed:
                continue
            for event in events:
                if listener.excluded and event["event"] == "order":
                    continue
                try:
                    await listener.ws.send_str(json.dumps(event, separators=(",", ":")))
                except (ConnectionError, RuntimeError):
                    break

    async def handle(self, request: web.Request, account: str) -> web.WebSocketResponse:
        """The /v1/accounts/events WebSocket."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        listener = _Listener(self._next_conn, ws)
        self._next_conn += 1
        self.listeners[listener.id] = listener
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    error = self._subscribe(listener, msg.data, account)
                    if error is not None:
                        await ws.send_str(json.dumps({"error": error}))
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self.listeners.pop(listener.id, None)
            if listener.session is not None:
                self.sessions.release(listener.session)
        return ws

    def _subscribe(self, listener: _Listener, raw: str, account: str) -> str | None:
        body = self.sessions.open_payload(raw, listener.id)
        if isinstance(body, str):
            return body
        sid = str(body["sessionid"])
        events = body.get("events", ["order"])
        if not isinstance(events, list) or any(e != "order" for e in events):
            return "events must be a list of: order"
        excluded = body.get("excludeAccounts", [])
        if not isinstance(excluded, list):
            return "excludeAccounts must be a list"
        listener.session = sid
        listener.excluded = account in excluded
        return None
