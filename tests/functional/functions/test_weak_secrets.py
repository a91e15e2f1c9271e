"""Issue 8 case 9: the gate refuses to start with a 1-character secret, or with the admin
secret equal to the signing secret, naming the variable — as a Lambda function composing
from its environment, as `edgegate gate serve`, and as the demo's in-process gate."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from edgegate.compose import in_process_gate
from functions import admin_state, proposals, runtime
from functions.errors import ConfigError
from tests.functional.functions.conftest import ADMIN_SECRET, REPO, START_MS, gate_env
from tests.support.events import fresh_proposal, signed_event
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

SAME = "test-shared-secret-" + "x" * 20


@pytest.fixture
def lambda_env(
    monkeypatch: pytest.MonkeyPatch,
    sim: RunningSim,
    moto_endpoint: str,
    moto_table: tuple[Any, str],
) -> Iterator[None]:
    """A deployed function's environment, composed on the first invocation."""
    env = gate_env(sim, moto_table[1], EDGEGATE_DYNAMODB_ENDPOINT=moto_endpoint)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    runtime.reset()
    yield
    runtime.reset()


def _invoke_proposals() -> dict[str, Any]:
    body = fresh_proposal("proposals_post", START_MS)
    return proposals.handler(signed_event("proposals_post", b"x", START_MS, body=body), None)


def test_handler_when_signing_secret_one_character_then_stops_naming_it(
    lambda_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", "x")
    with pytest.raises(ConfigError) as caught:
        _invoke_proposals()
    assert caught.value.variable == "EDGEGATE_SIGNING_SECRET"
    assert "at least 32 bytes, got 1" in str(caught.value)


def test_handler_when_admin_secret_one_character_then_stops_naming_it(
    lambda_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDGEGATE_ADMIN_SECRET", "x")
    event = signed_event("admin_state_post", ADMIN_SECRET, START_MS)
    with pytest.raises(ConfigError) as caught:
        admin_state.handler(event, None)
    assert caught.value.variable == "EDGEGATE_ADMIN_SECRET"


def test_handler_when_admin_secret_equals_signing_secret_then_stops_naming_admin(
    lambda_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", SAME)
    monkeypatch.setenv("EDGEGATE_ADMIN_SECRET", SAME)
    with pytest.raises(ConfigError) as caught:
        _invoke_proposals()
    assert caught.value.variable == "EDGEGATE_ADMIN_SECRET"
    assert "must differ from EDGEGATE_SIGNING_SECRET" in str(caught.value)


def _gate_serve(sim: RunningSim, **secrets: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **gate_env(sim, "edgegate-weak-secret-gate"), **secrets}
    env.pop("EDGEGATE_DYNAMODB_ENDPOINT", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "edgegate",
            "gate",
            "serve",
            "--port",
            "0",
            "--no-schedules",
            "--forget-state",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("secrets", "variable"),
    [
        ({"EDGEGATE_SIGNING_SECRET": "x"}, "EDGEGATE_SIGNING_SECRET"),
        ({"EDGEGATE_ADMIN_SECRET": "x"}, "EDGEGATE_ADMIN_SECRET"),
        ({"EDGEGATE_SIGNING_SECRET": SAME, "EDGEGATE_ADMIN_SECRET": SAME}, "EDGEGATE_ADMIN_SECRET"),
    ],
)
def test_gate_serve_when_secret_weak_or_shared_then_exit_2_naming_the_variable(
    sim: RunningSim, secrets: dict[str, str], variable: str
) -> None:
    done = _gate_serve(sim, **secrets)
    assert done.returncode == 2, done.stderr
    assert "serving on" not in done.stdout
    assert f"configuration error: {variable}:" in done.stderr
    assert SAME not in done.stderr  # a secret's value is never printed


def test_demo_gate_when_signing_secret_one_character_then_refused_naming_it(
    sim: RunningSim,
) -> None:
    with (
        pytest.raises(ConfigError) as caught,
        in_process_gate(sim.api_url, ManualClock(START_MS), b"x"),
    ):
        pass
    assert caught.value.variable == "EDGEGATE_SIGNING_SECRET"
