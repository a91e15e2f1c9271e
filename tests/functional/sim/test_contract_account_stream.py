"""The account-events WebSocket held to TRADIER.md §2 "Account events"."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tests.functional.sim.conftest import ACCOUNT, Sim


async def _listen(sim: Sim, ws: ClientConnection, **extra: Any) -> None:
    body = (await sim.http.post("/accounts/events/session")).json()["stream"]
    assert body["url"].endswith("/v1/accounts/events")
    await ws.send(
        json.dumps(
            {"events": ["order"], "sessionid": body["sessionid"], "excludeAccounts": [], **extra}
        )
    )
    await asyncio.sleep(0.05)


async def _events(ws: ClientConnection, quiet_s: float = 0.2) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        try:
            out.append(json.loads(await asyncio.wait_for(ws.recv(), quiet_s)))
        except TimeoutError:
            return out


async def test_account_stream_when_order_fills_then_order_events_with_tag(sim: Sim) -> None:
    """TRADIER.md §2 account events: order events with numbers, ISO Z dates, tag."""
    async with connect(sim.server.ws_url.replace("/markets/", "/accounts/")) as ws:
        await _listen(sim, ws)
        await sim.place(
            **{
                "class": "equity",
                "symbol": "SPY",
                "side": "buy",
                "quantity": "2",
                "type": "market",
                "duration": "day",
                "tag": "acct-1",
            }
        )
        events = [e for e in await _events(ws) if e["event"] == "order"]
    assert events[-1]["status"] == "filled" and events[-1]["tag"] == "acct-1"
    event = events[-1]
    assert event["account"] == ACCOUNT and isinstance(event["id"], int)
    for key in (
        "price",
        "stop_price",
        "avg_fill_price",
        "exec_quantity",
        "last_fill_quantity",
        "remaining_quantity",
    ):
        assert isinstance(event[key], float), key
    assert event["create_date"].endswith("Z") and event["transaction_date"].endswith("Z")


async def test_account_stream_when_a_minute_passes_then_heartbeat(sim: Sim) -> None:
    """TRADIER.md §2: heartbeat {"event":"heartbeat","status":"active","timestamp":RFC3339}."""
    async with connect(sim.server.ws_url.replace("/markets/", "/accounts/")) as ws:
        await _listen(sim, ws)
        sim.clock.advance(61_000)
        await sim.server.step()
        beats = [e for e in await _events(ws) if e["event"] == "heartbeat"]
    assert beats and beats[0]["status"] == "active"
    assert beats[0]["timestamp"].endswith("Z") and len(beats[0]["timestamp"].split(".")[1]) == 10


async def test_account_stream_when_account_excluded_then_no_order_events(sim: Sim) -> None:
    """TRADIER.md §2: excludeAccounts."""
    async with connect(sim.server.ws_url.replace("/markets/", "/accounts/")) as ws:
        await _listen(sim, ws, excludeAccounts=[ACCOUNT])
        await sim.place(
            **{
                "class": "equity",
                "symbol": "SPY",
                "side": "buy",
                "quantity": "1",
                "type": "market",
                "duration": "day",
            }
        )
        assert [e for e in await _events(ws) if e["event"] == "order"] == []


async def test_account_stream_when_unknown_session_then_session_not_found(sim: Sim) -> None:
    """A bad session on the account stream is refused like the market stream's."""
    async with connect(sim.server.ws_url.replace("/markets/", "/accounts/")) as ws:
        await ws.send(json.dumps({"events": ["order"], "sessionid": "nope"}))
        assert json.loads(await ws.recv()) == {"error": "session not found"}
