"""The market WebSocket for symbols beyond the original five (TRADIER.md §2): a table
stock, a share class, an index and an index option under its own root."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import connect

from tests.functional.sim.conftest import Sim
from tests.functional.sim.universe_support import series_of


async def test_stream_when_any_symbol_subscribed_then_its_frames_arrive(sim: Sim) -> None:
    """TRADIER.md §2: trades and quotes for AAPL and BRK/B, quotes for SPX (an index
    prints no trades), quotes for an SPXW option."""
    _, chain = await series_of(sim, "SPX", "SPXW")
    option = str(next(o for o in chain if o["root_symbol"] == "SPXW")["symbol"])
    symbols = ["AAPL", "BRK/B", "SPX", option]
    sid = (await sim.http.post("/markets/events/session")).json()["stream"]["sessionid"]
    async with connect(sim.server.ws_url) as ws:
        await ws.send(json.dumps({"symbols": symbols, "sessionid": sid}))
        await asyncio.sleep(0.05)
        sim.clock.advance(20_000)
        await sim.server.step()
        frames: list[dict[str, Any]] = []
        while True:
            try:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 0.2)))
            except TimeoutError:
                break
    kinds: dict[str, set[str]] = {}
    for frame in frames:
        kinds.setdefault(frame["symbol"], set()).add(frame["type"])
    assert {"trade", "quote"} <= kinds["AAPL"] and {"trade", "quote"} <= kinds["BRK/B"]
    assert "quote" in kinds["SPX"] and "trade" not in kinds["SPX"]
    assert "quote" in kinds[option]


async def test_stream_when_impossible_symbol_then_error_frame(sim: Sim) -> None:
    """TRADIER.md §2: `{"error":"<symbol> is not a valid symbol"}` for what cannot exist,
    while a well-formed unknown symbol (generated) streams."""
    sid = (await sim.http.post("/markets/events/session")).json()["stream"]["sessionid"]
    async with connect(sim.server.ws_url) as ws:
        await ws.send(json.dumps({"symbols": ["QWER", "QW3R"], "sessionid": sid}))
        assert json.loads(await ws.recv()) == {"error": "QW3R is not a valid symbol"}
