"""run_in_thread with its sync controls, replay of recorded frames, and the CLI."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.functional.sim.conftest import JSON, OPEN_MS, make_config
from tradier.clock import ManualClock
from tradier.sim.errors import ReplayError
from tradier.sim.replay import ReplayMarket
from tradier.sim.server import SimServer, run_in_thread

FRAMES = [
    {
        "type": "summary",
        "symbol": "SPY",
        "open": "580.1",
        "high": "581.0",
        "low": "579.5",
        "prevClose": "579.0",
    },
    {
        "type": "quote",
        "symbol": "SPY",
        "bid": 580.1,
        "bidsz": 3,
        "bidexch": "P",
        "biddate": str(OPEN_MS),
        "ask": 580.11,
        "asksz": 4,
        "askexch": "P",
        "askdate": str(OPEN_MS),
    },
    {
        "type": "trade",
        "symbol": "SPY",
        "exch": "P",
        "price": "580.11",
        "size": "100",
        "cvol": "1000",
        "date": str(OPEN_MS + 400),
        "last": "580.11",
    },
    {
        "type": "quote",
        "symbol": "SPY",
        "bid": 580.3,
        "bidsz": 3,
        "bidexch": "P",
        "biddate": str(OPEN_MS + 2000),
        "ask": 580.31,
        "asksz": 4,
        "askexch": "P",
        "askdate": str(OPEN_MS + 2000),
    },
]


def test_run_in_thread_when_controls_used_then_server_obeys() -> None:
    """RunningSim: api_url, ws_url and sync controls (clock, pins, faults, orders, reset)."""
    config = make_config(seed=4)
    with run_in_thread(config, clock=ManualClock(OPEN_MS)) as sim:
        assert sim.api_url == sim.base_url + "/v1"
        assert sim.ws_url.startswith("ws://127.0.0.1:") and sim.ws_url.endswith("/markets/events")
        with httpx.Client(base_url=sim.api_url, headers=JSON) as http:
            assert sim.controls.set_clock(now_ms=OPEN_MS + 60_000) == OPEN_MS + 60_000
            assert (
                http.get("/markets/clock").json()["clock"]["timestamp"]
                == (OPEN_MS + 60_000) // 1000
            )
            sim.controls.pin_quote("SPY", 99.0, 99.5, 99.25)
            quote = http.get("/markets/quotes", params={"symbols": "SPY"}).json()["quotes"]["quote"]
            assert (quote["bid"], quote["ask"], quote["last"]) == (99.0, 99.5, 99.25)
            sim.controls.fault("5xx", 1)
            assert http.get("/markets/clock").status_code == 500
            http.post(
                f"/accounts/{config.account}/orders",
                data={
                    "class": "equity",
                    "symbol": "SPY",
                    "side": "buy",
                    "quantity": "1",
                    "type": "market",
                    "duration": "day",
                    "tag": "sync-1",
                },
            )
            assert [o["tag"] for o in sim.controls.orders()] == ["sync-1"]
            assert sim.controls.state()["orders"] == 1
            sim.controls.reset()
            assert sim.controls.orders() == []


def _write(path: Path, frames: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(f) for f in frames) + "\n")
    return path


def test_replay_when_loaded_then_state_rebuilt_from_frames(tmp_path: Path) -> None:
    market = ReplayMarket.load(_write(tmp_path / "day.ndjson", FRAMES))
    assert market.symbols == ("SPY",) and market.start_ms == OPEN_MS
    state = market.state("SPY", OPEN_MS + 1000)
    assert state is not None
    assert (state.bid, state.ask, state.last, state.volume) == (580.1, 580.11, 580.11, 1000)
    later = market.state("SPY", OPEN_MS + 5000)
    assert later is not None and later.bid == 580.3


def test_replay_when_line_not_json_then_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_text(json.dumps(FRAMES[1]) + "\n{oops\n")
    try:
        ReplayMarket.load(path)
    except ReplayError as exc:
        assert ":2:" in str(exc)
    else:
        raise AssertionError("a broken line must be refused")


async def test_replay_when_streamed_then_frames_verbatim_in_order(tmp_path: Path) -> None:
    """Replay mode plays the recorded frames in order at their timestamps."""
    path = _write(tmp_path / "day.ndjson", FRAMES)
    clock = ManualClock(OPEN_MS - 1)
    server = SimServer(make_config(data_file=str(path), tick_s=3600.0), clock=clock)
    await server.start()
    try:
        async with (
            httpx.AsyncClient(base_url=server.api_url, headers=JSON) as http,
            connect(server.ws_url) as ws,
        ):
            sid = (await http.post("/markets/events/session")).json()["stream"]["sessionid"]
            await ws.send(json.dumps({"symbols": ["SPY"], "sessionid": sid}))
            await asyncio.sleep(0.05)
            clock.advance(3000)
            await server.step()
            got = [json.loads(await asyncio.wait_for(ws.recv(), 2)) for _ in FRAMES]
        assert got == FRAMES
    finally:
        await server.stop()


def test_cli_when_stream_for_a_second_then_prints_json_frames() -> None:
    """`edgegate sim stream --seconds N` prints events streamed from an in-process sim."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "edgegate",
            "sim",
            "stream",
            "--seconds",
            "1.5",
            "--speed",
            "20",
            "--symbols",
            "SPY",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert lines and {line["symbol"] for line in lines} == {"SPY"}


def test_run_in_thread_when_port_taken_then_start_error_raised() -> None:
    """A failed start surfaces in the caller's thread instead of hanging."""
    with run_in_thread(make_config()) as first:
        taken = make_config(port=first.server.port)
        with pytest.raises(OSError), run_in_thread(taken):
            pass
