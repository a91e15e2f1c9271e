"""Opt-in quirks that client authors reported (TRADIER.md §2 keepalive, §5-§6 pitfalls)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.functional.sim.conftest import ACCOUNT, Sim
from tradier.clock import NEW_YORK, from_datetime

BUY = {
    "class": "equity",
    "symbol": "SPY",
    "side": "buy",
    "quantity": "1",
    "type": "market",
    "duration": "day",
}


@pytest.mark.parametrize("sim", [{"fill_data_lag_ms": 500}], indirect=True)
async def test_fill_race_when_just_filled_then_avg_fill_price_zero_until_lag_passes(
    sim: Sim,
) -> None:
    """TRADIER.md §6.7: the status can read filled before avg_fill_price is filled in."""
    order_id = (await sim.place(**BUY)).json()["order"]["id"]
    early = (await sim.http.get(f"{sim.orders_path}/{order_id}")).json()["order"]
    assert early["status"] == "filled" and early["avg_fill_price"] == 0.0
    sim.clock.advance(500)
    later = (await sim.http.get(f"{sim.orders_path}/{order_id}")).json()["order"]
    assert later["avg_fill_price"] > 0


async def test_5xx_window_when_preview_then_400_unexpected_server_error(sim: Sim) -> None:
    """TRADIER.md §5 pitfalls (MEAS): in the 500s window, preview=true answered 400
    `Unexpected server error`; no order landed."""
    sim.server.inject_fault("5xx", 1, f"/accounts/{ACCOUNT}/orders")
    response = await sim.place(**BUY, preview="true")
    assert response.status_code == 400
    assert response.json() == {"errors": {"error": "Unexpected server error"}}
    assert sim.server.orders() == []


@pytest.mark.parametrize(
    "sim",
    [
        {
            "stale_repeat_ms": 20_000,
            "start_ms": from_datetime(datetime(2026, 11, 18, 21, 0, tzinfo=NEW_YORK)),
        }
    ],
    indirect=True,
)
async def test_idle_stream_when_stale_repeat_then_old_ticks_resent_every_20s(sim: Sim) -> None:
    """TRADIER.md §2 keepalive: an idle stream re-sends old ticks about every 20 s."""
    sim.clock.set(from_datetime(datetime(2026, 11, 18, 19, 59, 50, tzinfo=NEW_YORK)))
    async with connect(sim.server.ws_url) as ws:
        sid = (await sim.http.post("/markets/events/session")).json()["stream"]["sessionid"]
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid, "filter": ["quote"]}))
        await asyncio.sleep(0.05)
        sim.clock.advance(9_000)  # the last postmarket quotes
        await sim.server.step()
        await asyncio.sleep(0.1)
        sim.clock.advance(21_000)  # 20:00:20, closed: nothing new, the last quote again
        await sim.server.step()
        frames = []
        while True:
            try:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 0.2)))
            except TimeoutError:
                break
    repeat = frames[-1]
    assert repeat in frames[:-1]  # the very same payload, sent again
    assert int(repeat["biddate"]) < sim.clock.now_ms() - 15_000


@pytest.mark.parametrize("sim", [{"overnight_drop": True}], indirect=True)
async def test_overnight_when_0600_utc_passes_then_socket_closed(sim: Sim) -> None:
    """Lean #6040: the server closed the WebSocket at about 06:00 UTC."""
    async with connect(sim.server.ws_url) as ws:
        sid = (await sim.http.post("/markets/events/session")).json()["stream"]["sessionid"]
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        await asyncio.sleep(0.05)
        sim.clock.advance(16 * 3600 * 1000)  # 10:30 ET -> 02:30 ET next day (07:30 UTC)
        await sim.server.step()
        with pytest.raises(ConnectionClosed):
            for _ in range(1000):
                await asyncio.wait_for(ws.recv(), 2)
