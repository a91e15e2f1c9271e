"""Rate limits (TRADIER.md §1) and injected faults (§5 pitfalls, §6), over real HTTP."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.functional.sim.conftest import ACCOUNT, JSON, OPEN_MS, Sim, make_config
from tradier.clock import ManualClock
from tradier.sim.server import SimServer

EQUITY_BUY = {
    "class": "equity",
    "symbol": "SPY",
    "side": "buy",
    "quantity": "1",
    "type": "market",
    "duration": "day",
}
SMALL = {"rate_limits": {"standard": 3, "market": 2, "trade": 2}}


@pytest.mark.parametrize("sim", [SMALL], indirect=True)
async def test_rate_limit_when_within_window_then_headers_count_down(sim: Sim) -> None:
    """TRADIER.md §1: every rate-limited response carries X-Ratelimit-*, expiry in ms."""
    first = await sim.http.get("/markets/clock")
    second = await sim.http.get("/markets/clock")
    assert first.headers["X-Ratelimit-Allowed"] == "2"
    assert (first.headers["X-Ratelimit-Used"], first.headers["X-Ratelimit-Available"]) == ("1", "1")
    assert (second.headers["X-Ratelimit-Used"], second.headers["X-Ratelimit-Available"]) == (
        "2",
        "0",
    )
    assert first.headers["X-Ratelimit-Expiry"] == str(OPEN_MS + 60_000)


@pytest.mark.parametrize("sim", [SMALL], indirect=True)
async def test_rate_limit_when_exceeded_then_429_quota_violation_until_window_ends(
    sim: Sim,
) -> None:
    """TRADIER.md §1: 429 with a plain-text body starting `Quota Violation` and ending with
    the expiry in ms; fixed windows opened by the first request."""
    sim.clock.advance(500)
    for _ in range(2):
        await sim.http.get("/markets/clock")
    over = await sim.http.get("/markets/clock")
    expiry = OPEN_MS + 500 + 60_000
    assert over.status_code == 429
    assert over.text.startswith("Quota Violation") and over.text.endswith(str(expiry))
    assert over.headers["X-Ratelimit-Available"] == "0"
    sim.clock.set(expiry - 1)
    assert (await sim.http.get("/markets/clock")).status_code == 429
    sim.clock.set(expiry)
    fresh = await sim.http.get("/markets/clock")
    assert fresh.status_code == 200 and fresh.headers["X-Ratelimit-Used"] == "1"


@pytest.mark.parametrize("sim", [SMALL], indirect=True)
async def test_rate_limit_when_groups_differ_then_counted_separately(sim: Sim) -> None:
    """TRADIER.md §1: standard, market data and trading are separate groups."""
    for _ in range(2):
        await sim.http.get("/markets/clock")
    assert (await sim.http.get("/markets/clock")).status_code == 429
    balances = await sim.http.get(f"/accounts/{ACCOUNT}/balances")
    assert balances.status_code == 200 and balances.headers["X-Ratelimit-Allowed"] == "3"
    placed = await sim.place(**EQUITY_BUY)
    assert placed.status_code == 200 and placed.headers["X-Ratelimit-Allowed"] == "2"


async def test_fault_when_5xx_armed_then_next_n_matching_calls_fail(sim: Sim) -> None:
    """TRADIER.md §5 pitfalls: `500 An error occurred while communicating with the backend.`"""
    armed = await sim.raw.post(
        "/sim/faults", json={"kind": "5xx", "count": 2, "path_prefix": "/markets/quotes"}
    )
    assert armed.status_code == 200
    assert (await sim.http.get("/markets/clock")).status_code == 200
    for _ in range(2):
        failed = await sim.http.get("/markets/quotes", params={"symbols": "SPY"})
        assert failed.status_code == 500
        assert failed.text == "An error occurred while communicating with the backend."
    assert (await sim.http.get("/markets/quotes", params={"symbols": "SPY"})).status_code == 200


async def test_fault_when_5xx_on_order_then_no_order_placed(sim: Sim) -> None:
    """TRADIER.md §5 pitfalls (MEAS): none of the orders sent during the 500s landed."""
    sim.server.inject_fault("5xx", 1, "/accounts")
    assert (await sim.place(**EQUITY_BUY, tag="five-xx")).status_code == 500
    assert sim.server.orders() == []


async def test_fault_when_timeout_then_client_times_out_and_nothing_placed(sim: Sim) -> None:
    """A held request outlives the client's timeout; the order is never processed."""
    sim.server.inject_fault("timeout", 1, "/accounts", delay_s=2.0)
    with pytest.raises(httpx.ReadTimeout):
        await sim.http.post(sim.orders_path, data=EQUITY_BUY, timeout=0.3)
    assert sim.server.orders() == []


async def test_fault_when_lost_response_then_connection_dropped_but_order_exists(
    sim: Sim,
) -> None:
    """The order is accepted but its answer never arrives: find it by tag, never resend."""
    await sim.raw.post(
        "/sim/faults",
        json={"kind": "lost_response", "count": 1, "path_prefix": f"/accounts/{ACCOUNT}/orders"},
    )
    with pytest.raises(httpx.RemoteProtocolError):
        await sim.place(**EQUITY_BUY, tag="lost-1")
    listed = (await sim.http.get(sim.orders_path, params={"includeTags": "true"})).json()
    assert listed["orders"]["order"]["tag"] == "lost-1"
    assert listed["orders"]["order"]["status"] == "filled"


async def test_fault_when_bad_kind_then_400_names_field(sim: Sim) -> None:
    """Controls validate their input."""
    response = await sim.raw.post("/sim/faults", json={"kind": "gremlins", "count": 1})
    assert response.status_code == 400 and "kind" in response.json()["error"]


async def test_stop_when_timeout_fault_holding_request_then_stops_promptly() -> None:
    """The timeout fault is cancel-safe: stopping the server releases held requests."""
    server = SimServer(make_config(), clock=ManualClock(OPEN_MS))
    await server.start()
    server.inject_fault("timeout", 1)  # default delay: 30 s
    async with httpx.AsyncClient(base_url=server.api_url, headers=JSON) as http:
        pending = asyncio.create_task(http.get("/markets/clock", timeout=60))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await server.stop()
        elapsed = time.monotonic() - started
        try:
            status: int | None = (await pending).status_code
        except httpx.HTTPError:
            status = None  # the connection closed with the server
    assert elapsed < 5 and status in (504, None)


async def test_reset_when_orders_and_faults_then_all_forgotten(sim: Sim) -> None:
    """Test control: POST /sim/reset forgets orders, positions, faults."""
    await sim.place(**EQUITY_BUY)
    sim.server.inject_fault("5xx", 5)
    assert (await sim.raw.post("/sim/reset")).status_code == 200
    assert (await sim.http.get(f"/accounts/{ACCOUNT}/positions")).json() == {"positions": "null"}
    assert (await sim.raw.get("/sim/orders")).json() == {"orders": []}
