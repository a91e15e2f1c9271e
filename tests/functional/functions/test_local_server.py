"""The local API Gateway v2 adapter over real HTTP, and `edgegate gate serve`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from functions.local.embedded import local_gate
from functions.local.server import LocalGateServer
from gatekeeper.signing import Target, signed_headers
from tests.functional.functions.conftest import (
    ADMIN_SECRET,
    REPO,
    SIGNING_SECRET,
    START_MS,
    Harness,
    gate_env,
)
from tests.support.events import encode_json, fresh_proposal
from tradier.clock import SystemClock
from tradier.sim.server import RunningSim


@pytest.fixture
def served(h: Harness) -> Iterator[tuple[Harness, httpx.Client]]:
    """The harness's gate behind the local adapter on a free port."""
    with LocalGateServer("127.0.0.1", 0, clock=h.clock) as server:
        url = server.start()
        with httpx.Client(base_url=url, timeout=10) as client:
            yield h, client


def signed(secret: bytes, route: str, body: bytes, now_ms: int) -> dict[str, str]:
    """v2 headers for `body` sent to `route` ("METHOD /path") at `now_ms`, fresh nonce."""
    method, path = route.split(" ", 1)
    target = Target(method, path)
    return {"content-type": "application/json", **signed_headers(secret, target, body, now_ms)}


def test_local_server_when_signed_proposal_posted_then_200_decision(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    body = encode_json(fresh_proposal("proposals_post", h.now()))
    response = client.post(
        "/v1/proposals",
        content=body,
        headers=signed(SIGNING_SECRET, "POST /v1/proposals", body, h.now()),
    )
    assert response.status_code == 200, response.text
    assert response.json()["decision"] == "APPROVED"
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"]


def test_local_server_when_every_route_called_then_gate_answers(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    now = h.now()
    body = encode_json(fresh_proposal("proposals_post", now))
    client.post(
        "/v1/proposals",
        content=body,
        headers=signed(SIGNING_SECRET, "POST /v1/proposals", body, now),
    )
    pid = json.loads(body)["id"]
    got = client.get(
        f"/v1/proposals/{pid}", headers=signed(SIGNING_SECRET, f"GET /v1/proposals/{pid}", b"", now)
    )
    assert got.status_code == 200 and got.json()["decision"]["proposal_id"] == pid
    status = client.get("/v1/status", headers=signed(SIGNING_SECRET, "GET /v1/status", b"", now))
    assert status.status_code == 200
    beat = encode_json({"brain_id": "local-test", "sent_at": now})
    assert (
        client.post(
            "/v1/heartbeat",
            content=beat,
            headers=signed(SIGNING_SECRET, "POST /v1/heartbeat", beat, now),
        ).status_code
        == 200
    )
    state = encode_json({"state": "REDUCING", "reason": "local test"})
    changed = client.post(
        "/v1/admin/state",
        content=state,
        headers=signed(ADMIN_SECRET, "POST /v1/admin/state", state, now),
    )
    assert changed.status_code == 200 and changed.json()["state"] == "REDUCING"
    flat = encode_json({"reason": "local test"})
    flattened = client.post(
        "/v1/admin/flatten",
        content=flat,
        headers=signed(ADMIN_SECRET, "POST /v1/admin/flatten", flat, now),
    )
    assert flattened.status_code == 200


def test_local_server_when_binary_body_then_base64_event_and_400(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    body = b"\xff\xfe not utf-8"
    headers = {
        **signed(SIGNING_SECRET, "POST /v1/proposals", body, h.now()),
        "content-type": "application/octet-stream",
    }
    response = client.post("/v1/proposals", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_local_server_when_unsigned_then_401(served: tuple[Harness, httpx.Client]) -> None:
    _, client = served
    assert client.get("/v1/status").status_code == 401


def test_local_server_when_unknown_path_or_method_then_404_or_405(
    served: tuple[Harness, httpx.Client],
) -> None:
    _, client = served
    assert client.get("/v1/nope").status_code == 404
    assert client.delete("/v1/status").status_code == 405


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_local_gate_when_no_dynamodb_endpoint_then_embedded_tables_and_serves(
    sim: RunningSim,
) -> None:
    env = gate_env(sim, "edgegate-local-gate")
    with local_gate(env, schedules=False) as running:
        tables = running.dynamodb.list_tables()["TableNames"]
        assert sorted(tables) == ["edgegate-local-gate", "edgegate-local-sessions"]
        now = SystemClock().now_ms()
        reply = httpx.get(
            f"{running.url}/v1/status", headers=signed(SIGNING_SECRET, "GET /v1/status", b"", now)
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["state"] == "ACTIVE"


def _wait_for_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "serving on" in line:
            return line
        if proc.poll() is not None:
            break
    raise AssertionError("edgegate gate serve did not start")


def test_gate_serve_cli_when_started_then_serves_status_over_http(sim: RunningSim) -> None:
    port = _free_port()
    env: dict[str, Any] = {**os.environ, **gate_env(sim, "edgegate-local-gate")}
    env.pop("EDGEGATE_DYNAMODB_ENDPOINT", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "edgegate",
            "gate",
            "serve",
            "--port",
            str(port),
            "--no-schedules",
            "--forget-state",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        _wait_for_line(proc, time.monotonic() + 60)
        now = SystemClock().now_ms()
        headers = signed(SIGNING_SECRET, "GET /v1/status", b"", now)
        reply = httpx.get(f"http://127.0.0.1:{port}/v1/status", headers=headers)
        assert reply.status_code == 200, reply.text
        replayed = httpx.get(f"http://127.0.0.1:{port}/v1/status", headers=headers)
        assert replayed.status_code == 401
        assert replayed.json()["error"]["code"] == "NONCE_REUSED"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


def test_sim_following_clock_when_sim_time_jumps_then_followed_after_refresh(
    sim: RunningSim, sim_clock: Any
) -> None:
    from functions.local.simclock import SimFollowingClock, sim_base_url
    from tradier.clock import ManualClock

    real = ManualClock(1_000_000)
    sim_clock.set(START_MS)
    clock = SimFollowingClock(sim_base_url(sim.api_url), base=real, refresh_s=1.0)
    try:
        assert clock.now_ms() == START_MS
        sim_clock.advance(600_000)
        real.advance(500)
        assert clock.now_ms() == START_MS + 500  # extrapolated until the next sync
        real.advance(600)
        assert clock.now_ms() == START_MS + 600_000  # resynchronised
    finally:
        clock.close()


def test_local_server_when_captured_admin_request_replayed_over_http_then_401_nonce_reused(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    halt = encode_json({"state": "HALTED", "reason": "local replay test"})
    resume = encode_json({"state": "ACTIVE", "reason": "local replay test"})
    halted = signed(ADMIN_SECRET, "POST /v1/admin/state", halt, h.now())
    assert client.post("/v1/admin/state", content=halt, headers=halted).status_code == 200
    captured = signed(ADMIN_SECRET, "POST /v1/admin/state", resume, h.now())
    assert client.post("/v1/admin/state", content=resume, headers=captured).status_code == 200
    again = signed(ADMIN_SECRET, "POST /v1/admin/state", halt, h.now())
    assert client.post("/v1/admin/state", content=halt, headers=again).status_code == 200
    h.clock.advance(6_000)
    replayed = client.post("/v1/admin/state", content=resume, headers=captured)
    assert replayed.status_code == 401
    assert replayed.json()["error"]["code"] == "NONCE_REUSED"
    status = client.get(
        "/v1/status", headers=signed(SIGNING_SECRET, "GET /v1/status", b"", h.now())
    )
    assert status.json()["state"] == "HALTED"
    # The same captured headers on another route do not verify at all.
    moved = client.post("/v1/admin/flatten", content=resume, headers=captured)
    assert moved.status_code == 401 and moved.json()["error"]["code"] == "UNAUTHORIZED"
