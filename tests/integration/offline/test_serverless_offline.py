"""A signed v2 proposal through serverless-offline on serverless.yml's `local` stage.

`edgegate offline` (what `make offline` runs) starts a loopback DynamoDB with the local
stage's tables and `osls offline --stage local`; the handlers take their secrets from the
environment and reach the simulator this test runs through the exported
TRADIER_TRADE_BASE_URL (the order is found there by its tag), and schedule nothing.
About 10 s: serverless-offline starts in ~5 s, each handler's first call starts a
Python worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from edgegate.status_command import fetch_status
from gatekeeper.signing import Target, signed_headers
from tests.support.events import encode_json, fresh_proposal
from tests.support.gate_harness import orders_tagged
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

ROOT = Path(__file__).resolve().parents[3]
EDGEGATE = ROOT / ".venv" / "bin" / "edgegate"
SIGNING = "test-offline-signing-secret-not-real-000"
ADMIN = "test-offline-admin-secret-not-real-00000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSim]:
    config = SimConfig(token="test-offline-token-not-real", account="VA00000042")
    with run_in_thread(config) as running:
        yield running


@pytest.fixture(scope="module")
def gate_url(sim: RunningSim) -> Iterator[str]:
    if not (ROOT / "node_modules" / ".bin" / "osls").exists():
        pytest.skip("no npm toolchain: `make node_modules/.installed`")
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "EDGEGATE_SIGNING_SECRET": SIGNING,
        "EDGEGATE_ADMIN_SECRET": ADMIN,
        "TRADIER_TRADE_BASE_URL": sim.api_url,
        "TRADIER_TRADE_TOKEN": "test-offline-token-not-real",
        "TRADIER_ACCOUNT_ID": "VA00000042",
    }
    args = ["--port", str(port), "--lambda-port", str(_free_port())]
    args += ["--dynamodb-port", str(_free_port())]
    child = subprocess.Popen(
        [str(EDGEGATE), "offline", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        if child.poll() is not None:
            output = child.stdout.read() if child.stdout else ""
            pytest.fail(f"edgegate offline exited {child.returncode}: {output}")
        yield url
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def test_offline_when_signed_proposal_posted_then_approved_and_sent_to_the_simulator(
    gate_url: str, sim: RunningSim
) -> None:
    now = int(time.time() * 1000)
    proposal = fresh_proposal("proposals_post", now)
    body = encode_json(proposal)
    headers = signed_headers(SIGNING.encode(), Target("POST", "/v1/proposals"), body, now)
    response = httpx.post(
        gate_url + "/v1/proposals",
        content=body,
        headers={**headers, "content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["decision"] == "APPROVED"
    assert decided["order_id"] is not None
    assert decided["replayed"] is False
    [order] = orders_tagged(sim, proposal["id"])
    assert order["symbol"] == "SPY"


def test_offline_when_status_asked_with_the_signing_secret_then_answers_state(
    gate_url: str,
) -> None:
    status, body = fetch_status(gate_url, SIGNING.encode(), int(time.time() * 1000))
    assert status == 200, body
    assert body["state"] == "ACTIVE"


def test_offline_when_signed_with_another_secret_then_401(gate_url: str) -> None:
    status, body = fetch_status(gate_url, ADMIN.encode(), int(time.time() * 1000))
    assert status == 401
    assert body["error"]["code"] == "UNAUTHORIZED"
