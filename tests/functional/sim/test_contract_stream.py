"""The market WebSocket held to TRADIER.md §2, with a real websockets client."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.functional.sim.conftest import JSON, OPEN_MS, Sim, make_config
from tradier.clock import ManualClock
from tradier.sim.server import SimServer


async def _session(http: httpx.AsyncClient) -> str:
    body = (await http.post("/markets/events/session")).json()
    return str(body["stream"]["sessionid"])


async def _drain(ws: ClientConnection, quiet_s: float = 0.15) -> list[str]:
    frames: list[str] = []
    while True:
        try:
            frames.append(str(await asyncio.wait_for(ws.recv(), quiet_s)))
        except TimeoutError:
            return frames


async def _advance(sim: Sim, seconds: int) -> None:
    sim.clock.advance(seconds * 1000)
    await sim.server.step()


async def _subscribe(sim: Sim, ws: ClientConnection, **extra: Any) -> None:
    sid = await _session(sim.http)
    await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid, **extra}))
    await asyncio.sleep(0.05)


async def test_stream_when_subscribed_then_payload_field_types_match_tradier(sim: Sim) -> None:
    """TRADIER.md §2 payload table: trade strings, quote numbers/ints, summary strings,
    timesale seq int."""
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws)
        await _advance(sim, 5)
        frames = [json.loads(f) for f in await _drain(ws)]
    by_type: dict[str, dict[str, Any]] = {}
    for frame in frames:
        by_type.setdefault(frame["type"], frame)
    assert {"trade", "quote", "summary", "timesale"} <= set(by_type)
    trade = by_type["trade"]
    for key in ("price", "size", "cvol", "date", "last"):
        assert isinstance(trade[key], str), key
    assert trade["last"] == trade["price"] and len(trade["date"]) == 13
    quote = by_type["quote"]
    assert isinstance(quote["bid"], float) and isinstance(quote["ask"], float)
    assert isinstance(quote["bidsz"], int) and isinstance(quote["asksz"], int)
    assert isinstance(quote["biddate"], str) and isinstance(quote["askdate"], str)
    summary = by_type["summary"]
    for key in ("open", "high", "low", "prevClose"):
        assert isinstance(summary[key], str), key
    timesale = by_type["timesale"]
    assert isinstance(timesale["seq"], int)
    assert all(isinstance(timesale[k], str) for k in ("bid", "ask", "last", "size", "date"))
    assert timesale["cancel"] is False and timesale["session"] == "normal"
    seqs = [f["seq"] for f in frames if f["type"] == "timesale"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


async def test_stream_when_filter_and_linebreak_then_only_those_types_with_newline(
    sim: Sim,
) -> None:
    """TRADIER.md §2 subscription table: filter and linebreak."""
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws, filter=["quote"], linebreak=True)
        await _advance(sim, 3)
        frames = await _drain(ws)
    assert frames and all(f.endswith("\n") for f in frames)
    assert {json.loads(f)["type"] for f in frames} == {"quote"}


async def test_stream_when_invalid_symbol_then_error_frame(sim: Sim) -> None:
    """TRADIER.md §2: validation errors come back as {"error":"1234 is not a valid symbol"}."""
    async with connect(sim.server.ws_url) as ws:
        sid = await _session(sim.http)
        await ws.send(json.dumps({"symbols": ["1234"], "sessionid": sid}))
        assert json.loads(await ws.recv()) == {"error": "1234 is not a valid symbol"}


async def test_stream_when_unknown_session_then_session_not_found(sim: Sim) -> None:
    """TRADIER.md §2: a bad session was reported as `session not found`."""
    async with connect(sim.server.ws_url) as ws:
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": "not-a-session"}))
        assert json.loads(await ws.recv()) == {"error": "session not found"}


async def test_stream_when_session_older_than_5_minutes_then_session_not_found(sim: Sim) -> None:
    """TRADIER.md §2: a session id must be used within 5 minutes."""
    sid = await _session(sim.http)
    sim.clock.advance(5 * 60_000 + 1)
    async with connect(sim.server.ws_url) as ws:
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        assert json.loads(await ws.recv()) == {"error": "session not found"}


async def test_stream_when_session_reused_on_reconnect_then_session_not_found(sim: Sim) -> None:
    """TRADIER.md §2: one id lasts the connection; a reconnect needs a new id."""
    sid = await _session(sim.http)
    async with connect(sim.server.ws_url) as first:
        await first.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        async with connect(sim.server.ws_url) as second:
            await second.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
            assert json.loads(await second.recv()) == {"error": "session not found"}
    await asyncio.sleep(0.05)
    async with connect(sim.server.ws_url) as again:
        await again.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        assert json.loads(await again.recv()) == {"error": "session not found"}


async def test_stream_when_resubscribed_same_session_then_symbols_change(sim: Sim) -> None:
    """TRADIER.md §2: to change symbols, resend the payload with the same sessionid."""
    async with connect(sim.server.ws_url) as ws:
        sid = await _session(sim.http)
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        await asyncio.sleep(0.05)
        await ws.send(json.dumps({"symbols": ["QQQ"], "sessionid": sid}))
        await asyncio.sleep(0.05)
        await _advance(sim, 3)
        symbols = {json.loads(f)["symbol"] for f in await _drain(ws)}
    assert symbols == {"QQQ"}


async def test_stream_when_option_symbol_subscribed_then_quotes_for_it(sim: Sim) -> None:
    """TRADIER.md §2 subscription: equity and/or OCC option symbols."""
    body = (
        await sim.http.get(
            "/markets/options/chains", params={"symbol": "SPY", "expiration": "2026-12-18"}
        )
    ).json()
    option = body["options"]["option"][200]["symbol"]
    async with connect(sim.server.ws_url) as ws:
        sid = await _session(sim.http)
        await ws.send(json.dumps({"symbols": [option], "sessionid": sid}))
        await asyncio.sleep(0.05)
        await _advance(sim, 3)
        frames = [json.loads(f) for f in await _drain(ws)]
    assert frames and {f["symbol"] for f in frames} == {option}


async def test_control_when_drop_then_socket_closed(sim: Sim) -> None:
    """Test control: POST /sim/stream/drop closes every WebSocket (a reconnect drill)."""
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws)
        response = await sim.raw.post("/sim/stream/drop")
        assert response.json()["dropped"] == 1
        closed = False
        try:
            await asyncio.wait_for(_drain(ws, 1.0), 3)
        except ConnectionClosed:
            closed = True
        assert closed or ws.close_code is not None


async def test_control_when_expire_then_fresh_session_unusable(sim: Sim) -> None:
    """Test control: POST /sim/stream/expire expires every session id."""
    sid = await _session(sim.http)
    assert (await sim.raw.post("/sim/stream/expire")).json()["expired"] == 1
    async with connect(sim.server.ws_url) as ws:
        await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
        assert json.loads(await ws.recv()) == {"error": "session not found"}


async def _recorded(seed: int) -> list[str]:
    clock = ManualClock(OPEN_MS)
    server = SimServer(make_config(seed=seed, tick_s=3600.0), clock=clock)
    await server.start()
    try:
        async with (
            httpx.AsyncClient(base_url=server.api_url, headers=JSON) as http,
            connect(server.ws_url) as ws,
        ):
            sid = await _session(http)
            await ws.send(json.dumps({"symbols": ["SPY", "QQQ", "VIX"], "sessionid": sid}))
            await asyncio.sleep(0.05)
            clock.advance(10_000)
            await server.step()
            return await _drain(ws)
    finally:
        await server.stop()


async def test_stream_when_same_seed_then_same_frames_and_other_seed_differs() -> None:
    """Determinism: generation is a function of (seed, time)."""
    first, second, other = await _recorded(21), await _recorded(21), await _recorded(22)
    assert first and first == second and first != other


async def test_http_stream_when_posted_with_session_then_chunked_payloads(sim: Sim) -> None:
    """TRADIER.md §2: the HTTP stream takes the same parameters as comma-separated strings;
    the session POST's url points at it."""
    session = (await sim.http.post("/markets/events/session")).json()["stream"]
    received: list[dict[str, Any]] = []

    async def read() -> None:
        async with sim.raw.stream(
            "POST",
            session["url"],
            data={
                "sessionid": session["sessionid"],
                "symbols": "SPY",
                "filter": "quote,trade",
                "linebreak": "true",
            },
        ) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                if line.strip():
                    received.append(json.loads(line))

    reader = asyncio.create_task(read())
    await asyncio.sleep(0.1)
    await _advance(sim, 3)
    await asyncio.sleep(0.1)
    await sim.raw.post("/sim/stream/drop")
    await asyncio.wait_for(reader, 5)
    assert received and {f["type"] for f in received} <= {"quote", "trade"}
    assert {f["symbol"] for f in received} == {"SPY"}


async def test_http_stream_when_session_unknown_then_400_error(sim: Sim) -> None:
    """A bad session on the HTTP stream is refused with the same message."""
    response = await sim.raw.get(
        "/v1/markets/events", params={"sessionid": "nope", "symbols": "SPY"}
    )
    assert response.status_code == 400 and response.json() == {"error": "session not found"}
