"""The demo's in-process gate runs its schedules, so a closed position stops counting."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from datetime import time as dtime
from typing import Any

import httpx

from brain.replay import default_day
from edgegate.compose import scheduled_gate
from gatekeeper.signing import Target, signed_headers
from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import run_in_thread

SECRET = b"test-signing-secret-" + b"x" * 20
START = from_datetime(datetime.combine(default_day(), dtime(11, 0), tzinfo=NEW_YORK))


def _send(url: str, clock: ManualClock, path: str, body: dict[str, Any] | None) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    method = "GET" if body is None else "POST"
    headers = signed_headers(SECRET, Target(method, path), raw, clock.now_ms())
    response = httpx.request(method, url + path, content=raw or None, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _equity(clock: ManualClock, intent: str, side: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "created_at": clock.now_ms(),
        "symbol": "SPY",
        "strategy": "equity",
        "intent": intent,
        "quantity": 1,
        "order_type": "market",
        "duration": "day",
        "side": side,
        "source": {"kind": "manual", "name": "test"},
    }


def test_scheduled_gate_when_position_closed_then_reconcile_releases_its_structure() -> None:
    clock = ManualClock(START)
    with (
        run_in_thread(SimConfig(seed=3, follow_calendar=True), clock) as sim,
        scheduled_gate(sim.api_url, clock, SECRET) as url,
    ):
        opened = _send(url, clock, "/v1/proposals", _equity(clock, "open", "buy"))
        assert opened["decision"] == "APPROVED"
        assert _send(url, clock, "/v1/status", None)["open_structures"] == 1
        clock.advance(5_000)
        closed = _send(url, clock, "/v1/proposals", _equity(clock, "close", "sell"))
        assert closed["decision"] == "APPROVED"
        # Reconcile runs in each new minute of the gate's clock and sees the close filled.
        open_structures = 1
        deadline = time.monotonic() + 20
        while open_structures and time.monotonic() < deadline:
            clock.advance(60_000)
            time.sleep(1.2)
            open_structures = _send(url, clock, "/v1/status", None)["open_structures"]
        assert open_structures == 0
