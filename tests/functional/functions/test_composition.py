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


def test_first_invocation_when_composed_after_the_bench_imports_then_no_new_package(
    tmp_path: Path,
) -> None:
    # The bench's cold-start figure imports FIRST_INVOCATION_IMPORTS; composing the gate
    # (clients included) afterwards must import no further package, and never boto3.
    code = (
        "import importlib, sys\n"
        "from functions.local.bench import FIRST_INVOCATION_IMPORTS\n"
        "for name in FIRST_INVOCATION_IMPORTS: importlib.import_module(name)\n"
        "before = {m.partition('.')[0] for m in sys.modules}\n"
        "from functions import runtime\n"
        "runtime.current_gate()\n"
        "after = {m.partition('.')[0] for m in sys.modules}\n"
        "print(sorted(after - before), 'boto3' in sys.modules)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "EDGEGATE_GATE_TABLE": "edgegate-test-gate",
        "EDGEGATE_CONSTITUTION": str(REPO / "infra" / "constitution.toml"),
        "TRADIER_TRADE_BASE_URL": "http://127.0.0.1:9",
        "TRADIER_TRADE_TOKEN": "test-token",
        "TRADIER_ACCOUNT_ID": "VA00000000",
        "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
        "EDGEGATE_ADMIN_SECRET": "test-admin-secret-" + "x" * 20,
        "EDGEGATE_DYNAMODB_ENDPOINT": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret-not-real",
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO, env=env
    )
    assert done.stdout.strip() == "[] False"


def test_proposals_when_tradier_rate_limited_then_503_broker_unavailable_at_once(
    env_gate: dict[str, str], monkeypatch: pytest.MonkeyPatch, moto_table: tuple[Any, str]
) -> None:
    """A rate-limit window at Tradier is never waited out inside a proposal: the answer is
    a prompt 503 (nothing reserved, nothing sent), not a decision made past its staleness."""
    import time

    import httpx

    from tradier.clock import SystemClock
    from tradier.sim.server import SimConfig, run_in_thread

    # A simulator on wall time (so its reset lies a minute ahead of the gate's clock) that
    # allows one market-data call a minute.
    config = SimConfig(seed=2, rate_limits={"standard": 60, "market": 1, "trade": 60})
    with run_in_thread(config) as wall_sim:
        monkeypatch.setenv("TRADIER_TRADE_BASE_URL", wall_sim.api_url)
        runtime.reset()
        spent = httpx.get(
            f"{wall_sim.api_url}/markets/clock",
            headers={"Authorization": f"Bearer {config.token}", "Accept": "application/json"},
        )
        assert spent.status_code == 200
        now = SystemClock().now_ms()
        body = fresh_proposal("proposals_post", now)
        started = time.monotonic()
        response = proposals.handler(
            signed_event("proposals_post", SIGNING_SECRET, now, body=body), None
        )
        elapsed = time.monotonic() - started
        assert response["statusCode"] == 503, response["body"]
        assert body_of(response)["error"]["code"] == "BROKER_UNAVAILABLE"
        assert elapsed < 5.0
        assert wall_sim.controls.orders() == []
        client, table = moto_table
        keys = {item["pk"]["S"].split("#")[0] for item in client.scan(TableName=table)["Items"]}
        # Nothing of the proposal (record, intent, counters, rate items); the day's
        # start-of-day equity baseline, read before the clock, may have been recorded.
        assert keys <= {"BASELINE"}
