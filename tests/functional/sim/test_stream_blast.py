"""Stream statistics and blasts: the public controls benchmarks and replays use instead of
reaching into the stream hub."""

from __future__ import annotations

import asyncio
import json

from websockets.asyncio.client import ClientConnection, connect

from tests.functional.sim.conftest import Sim


async def _subscribe(sim: Sim, ws: ClientConnection, symbols: list[str]) -> None:
    body = (await sim.http.post("/markets/events/session")).json()
    sid = str(body["stream"]["sessionid"])
    await ws.send(json.dumps({"symbols": symbols, "sessionid": sid, "linebreak": False}))
    for _ in range(200):
        if sim.server.stream_stats().subscribed:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never subscribed")


async def _read(ws: ClientConnection, count: int) -> list[str]:
    return [str(await asyncio.wait_for(ws.recv(), 5.0)) for _ in range(count)]


async def test_stream_stats_when_nothing_connected_then_zero_frames_and_subscribers(
    sim: Sim,
) -> None:
    stats = sim.server.stream_stats()
    assert (stats.frames_sent, stats.subscribed) == (0, 0)


async def test_stream_stats_when_market_frames_delivered_then_counted_per_frame(sim: Sim) -> None:
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws, ["SPY"])
        sim.clock.advance(3_000)
        await sim.server.step()
        sent = sim.server.stream_stats().frames_sent
        received = await _read(ws, sent)
    assert sent > 0
    assert all(json.loads(frame)["symbol"] == "SPY" for frame in received)
    assert sim.server.frames_sent == sent


async def test_stream_stats_when_connection_closed_then_not_subscribed(sim: Sim) -> None:
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws, ["SPY"])
        assert sim.server.stream_stats().subscribed == 1
    for _ in range(200):
        if not sim.server.stream_stats().subscribed:
            break
        await asyncio.sleep(0.005)
    assert sim.server.stream_stats().subscribed == 0


async def test_blast_when_frames_given_then_each_subscriber_gets_all_in_order(sim: Sim) -> None:
    frames = [json.dumps({"type": "summary", "symbol": f"ZZ{i}"}) for i in range(500)]
    async with connect(sim.server.ws_url) as one, connect(sim.server.ws_url) as two:
        await _subscribe(sim, one, ["SPY"])
        body = (await sim.http.post("/markets/events/session")).json()
        await two.send(json.dumps({"symbols": ["QQQ"], "sessionid": body["stream"]["sessionid"]}))
        for _ in range(200):
            if sim.server.stream_stats().subscribed == 2:
                break
            await asyncio.sleep(0.005)
        before = sim.server.stream_stats().frames_sent
        sent = await sim.server.blast(frames)
        got_one, got_two = await _read(one, 500), await _read(two, 500)
    assert sent == 1000
    assert got_one == frames and got_two == frames
    assert sim.server.stream_stats().frames_sent == before + 1000


async def test_blast_when_nobody_subscribed_then_nothing_sent(sim: Sim) -> None:
    assert await sim.server.blast(['{"type":"summary","symbol":"SPY"}']) == 0


async def test_blast_control_when_count_posted_then_quote_frames_for_subscribed_symbols(
    sim: Sim,
) -> None:
    async with connect(sim.server.ws_url) as ws:
        await _subscribe(sim, ws, ["SPY", "QQQ"])
        reply = await sim.raw.post("/sim/stream/blast", json={"count": 40})
        frames = [json.loads(f) for f in await _read(ws, 40)]
    assert reply.status_code == 200 and reply.json()["sent"] == 40
    assert {f["type"] for f in frames} == {"quote"}
    assert {f["symbol"] for f in frames} == {"SPY", "QQQ"}
    assert all(f["bid"] < f["ask"] for f in frames)


async def test_blast_control_when_count_invalid_then_400_naming_count(sim: Sim) -> None:
    for body in ({}, {"count": 0}, {"count": "5"}, {"count": True}, {"count": 10**7}):
        reply = await sim.raw.post("/sim/stream/blast", json=body)
        assert reply.status_code == 400, body
        assert reply.json()["error"].startswith("count:"), body
