"""Composition from the environment on the first invocation: the real path a Lambda takes."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import proposals, runtime, status
from functions.errors import ConfigError
from gatekeeper.errors import ConstitutionError
from tests.functional.functions.conftest import (
    REPO,
    SIGNING_SECRET,
    START_MS,
    body_of,
    gate_env,
)
from tests.support.events import fresh_proposal, signed_event
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim


@pytest.fixture
def env_gate(
    monkeypatch: pytest.MonkeyPatch,
    sim: RunningSim,
    sim_clock: ManualClock,
    moto_endpoint: str,
    moto_table: tuple[Any, str],
) -> Iterator[dict[str, str]]:
    """The process environment of a deployed function (moto endpoint for DynamoDB)."""
    sim_clock.set(START_MS)
    sim.controls.reset()
    env = gate_env(sim, moto_table[1], EDGEGATE_DYNAMODB_ENDPOINT=moto_endpoint)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    runtime.reset()
    yield env
    runtime.reset()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_handler_when_first_invoked_then_composes_from_environment_once(
    env_gate: dict[str, str],
) -> None:
    # The gate's own clock is wall time here, so sign with wall time.
    from tradier.clock import SystemClock

    now = SystemClock().now_ms()
    first = status.handler(signed_event("status_get", SIGNING_SECRET, now), None)
    assert first["statusCode"] == 200, first["body"]
    composed = runtime.current_gate()
    status.handler(signed_event("status_get", SIGNING_SECRET, now), None)
    assert runtime.current_gate() is composed


def test_handler_when_constitution_invalid_then_stops_naming_the_key(
    env_gate: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (REPO / "infra/constitution.toml").read_text()
    bad = tmp_path / "constitution.toml"
    bad.write_text(text.replace("max_open_structures = 10", "max_open_structures = 0", 1))
    monkeypatch.setenv("EDGEGATE_CONSTITUTION", str(bad))
    with pytest.raises(ConstitutionError) as caught:
        status.handler(signed_event("status_get", SIGNING_SECRET, START_MS), None)
    assert caught.value.key == "limits.max_open_structures"
    assert "limits.max_open_structures" in str(caught.value)


def test_handler_when_secret_variable_missing_then_stops_naming_it(
    env_gate: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDGEGATE_SIGNING_SECRET")
    with pytest.raises(ConfigError) as caught:
        proposals.handler(signed_event("proposals_post", SIGNING_SECRET, START_MS), None)
    assert caught.value.variable == "EDGEGATE_SIGNING_SECRET"


def test_proposals_when_dynamodb_unreachable_then_503_and_nothing_sent(
    env_gate: dict[str, str], monkeypatch: pytest.MonkeyPatch, sim: RunningSim
) -> None:
    monkeypatch.setenv("EDGEGATE_DYNAMODB_ENDPOINT", f"http://127.0.0.1:{_free_port()}")
    from tradier.clock import SystemClock

    now = SystemClock().now_ms()
    body = fresh_proposal("proposals_post", now)
    response = proposals.handler(
        signed_event("proposals_post", SIGNING_SECRET, now, body=body), None
    )
    assert response["statusCode"] == 503
    assert body_of(response)["error"]["code"] == "STORAGE_UNAVAILABLE"
    assert sim.controls.orders() == []


def test_import_when_fresh_process_without_environment_then_no_heavy_modules() -> None:
    code = (
        "import sys, functions.proposals, functions.status, functions.reconcile;"
        "heavy = [m for m in ('boto3', 'botocore', 'httpx', 'msgspec') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == ""
