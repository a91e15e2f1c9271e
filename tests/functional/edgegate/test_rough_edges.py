"""Issue 11's rough edges, each as the user met it: the real CLI, its exit code and the
one line the user reads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from edgegate.cli import main
from gatekeeper.signing import Target, signed_headers
from tests.functional.functions.conftest import ADMIN_SECRET, SIGNING_SECRET, gate_env
from tests.support.gate_serve import gate_serve
from tests.support.local_gates import scratch_local_gate
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

REPO = Path(__file__).resolve().parents[3]
SECRET = "test-signing-secret-" + "x" * 20


def _edgegate(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edgegate", *args],
        env={**os.environ, **(env or {})},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["gate", "serve", "--log-level", "LOUD"],
        ["brain", "run", "--log-level", "LOUD"],
        ["brain", "replay", "--sim", "--log-level", "LOUD"],
    ],
)
def test_log_level_when_unknown_then_exit_2_listing_the_levels(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert "DEBUG, INFO, WARNING, ERROR, CRITICAL" in capsys.readouterr().err


def test_demo_help_when_asked_then_every_default_shown():
    done = _edgegate("demo", "--help")
    assert done.returncode == 0
    for shown in ("(default: 7)", "(default: 390)", "(default: 10.0)", "2026-11-18"):
        assert shown in done.stdout


def test_brain_run_when_several_variables_missing_then_all_named_at_once(monkeypatch, capsys):
    for name in ("TRADIER_DATA_TOKEN", "EDGEGATE_GATE_URL", "EDGEGATE_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EDGEGATE_SYMBOLS", "SPY")
    monkeypatch.setenv("EDGEGATE_EQUITY", "lots")
    assert main(["brain", "run"]) == 2
    err = capsys.readouterr().err.splitlines()
    named = [line.split(": ")[1] for line in err]
    assert named == [
        "TRADIER_DATA_TOKEN",
        "EDGEGATE_GATE_URL",
        "EDGEGATE_SIGNING_SECRET",
        "EDGEGATE_EQUITY",
    ]


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ("TRADIER_ACCOUNT_TOKEN", "TRADIER_ACCOUNT_ID"),
        ("TRADIER_ACCOUNT_ID", "TRADIER_ACCOUNT_TOKEN"),
    ],
)
def test_brain_run_when_one_account_variable_set_then_message_names_both(
    monkeypatch, capsys, given, missing
):
    monkeypatch.setenv("TRADIER_DATA_TOKEN", "test-token")
    monkeypatch.setenv("EDGEGATE_GATE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("EDGEGATE_SYMBOLS", "SPY")
    monkeypatch.delenv("TRADIER_ACCOUNT_TOKEN", raising=False)
    monkeypatch.delenv("TRADIER_ACCOUNT_ID", raising=False)
    monkeypatch.setenv(given, "test-value")
    assert main(["brain", "run"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"edgegate brain run: {missing}: is required when {given} is set"
    )


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSim]:
    with run_in_thread(SimConfig(seed=2, follow_calendar=True)) as running:
        yield running


@pytest.fixture(scope="module")
def gate_url(sim: RunningSim) -> Iterator[str]:
    with scratch_local_gate(gate_env(sim, "edgegate-rough-edges"), schedules=False) as running:
        yield running.url


def _brain_env(sim: RunningSim, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "TRADIER_DATA_TOKEN": "sim-token",
        "TRADIER_DATA_BASE_URL": sim.api_url,
        "TRADIER_STREAM_URL": sim.ws_url,
        "EDGEGATE_GATE_URL": "http://127.0.0.1:9",
        "EDGEGATE_SIGNING_SECRET": SIGNING_SECRET.decode(),
        "EDGEGATE_SYMBOLS": "SPY",
        "EDGEGATE_STATE_DIR": str(tmp_path / "state"),
        **extra,
    }


def _brain_run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _edgegate("brain", "run", "--log-level", "ERROR", env=env)


def test_brain_run_when_gate_unreachable_then_exit_2_naming_the_gate_url(sim, tmp_path):
    done = _brain_run(_brain_env(sim, tmp_path))
    assert done.returncode == 2
    assert "EDGEGATE_GATE_URL: cannot reach the gate at http://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr


def test_brain_run_when_secret_not_the_gates_then_exit_2_naming_the_secret(sim, gate_url, tmp_path):
    wrong = "test-wrong-signing-secret-" + "y" * 16
    done = _brain_run(
        _brain_env(sim, tmp_path, EDGEGATE_GATE_URL=gate_url, EDGEGATE_SIGNING_SECRET=wrong)
    )
    assert done.returncode == 2
    assert f"EDGEGATE_SIGNING_SECRET: the gate at {gate_url} refused the signature" in done.stderr
    assert wrong not in done.stderr


def test_brain_run_when_data_token_wrong_then_exit_2_saying_wrong_not_sandbox(sim, tmp_path):
    done = _brain_run(_brain_env(sim, tmp_path, TRADIER_DATA_TOKEN="test-not-a-token"))
    assert done.returncode == 2
    assert "TRADIER_DATA_TOKEN: refused by" in done.stderr
    assert "the token is wrong or expired" in done.stderr
    assert "sandbox" not in done.stderr


def test_brain_run_when_state_dir_unwritable_then_exit_2_in_one_line(sim, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = _brain_run(_brain_env(sim, tmp_path, EDGEGATE_STATE_DIR=str(blocker / "state")))
    assert done.returncode == 2
    assert "EDGEGATE_STATE_DIR:" in done.stderr and "is not a writable directory" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_brain_replay_sim_when_gate_on_wall_clock_then_exit_2_before_replaying(gate_url):
    done = _edgegate(
        "brain",
        "replay",
        "--sim",
        "--minutes",
        "5",
        "--gate",
        gate_url,
        env={"EDGEGATE_SIGNING_SECRET": SIGNING_SECRET.decode()},
    )
    assert done.returncode == 2
    assert f"--gate: the gate at {gate_url} refused a request signed at the replay's" in (
        done.stderr
    )
    assert "replay signals=" not in done.stdout  # refused up front, nothing replayed


def test_brain_replay_when_interrupted_then_exit_130_in_one_line():
    proc = subprocess.Popen(
        [sys.executable, "-m", "edgegate", "brain", "replay", "--sim", "--speed", "120"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        # The first printed event: the simulator, feed and engine are all running.
        assert proc.stdout.readline(), "the replay printed nothing"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert err.strip() == "edgegate brain replay: interrupted; nothing more was replayed"


def test_constitution_check_when_valid_then_exit_0_with_its_digest():
    done = _edgegate("constitution", "check", "infra/constitution.toml")
    assert done.returncode == 0
    assert done.stdout.startswith("infra/constitution.toml: valid (sandbox only;")


def test_constitution_check_when_key_wrong_then_exit_1_in_one_line_naming_it(tmp_path):
    bad = tmp_path / "constitution.toml"
    good = (REPO / "infra" / "constitution.toml").read_text()
    bad.write_text(good.replace("max_notional = ", "max_notional = -", 1))
    done = _edgegate("constitution", "check", str(bad))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"{bad}: constitution key 'limits.max_notional': must be > 0 and <= 1000000000 [range]"
    ]


def test_gate_serve_when_constitution_bad_then_exit_2_in_one_line_naming_the_key(sim, tmp_path):
    bad = tmp_path / "constitution.toml"
    bad.write_text("[limits]\nmax_notional = 1\n")
    env = gate_env(sim, "edgegate-bad-constitution", EDGEGATE_CONSTITUTION=str(bad))
    done = _edgegate(
        "gate", "serve", "--port", "0", "--forget-state", "--log-level", "ERROR", env=env
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"edgegate gate: EDGEGATE_CONSTITUTION {bad}: constitution key 'trading': "
        "is missing [required]"
    ]


def _signed(secret: bytes, method: str, path: str, body: bytes = b"") -> dict[str, str]:
    now = int(time.time() * 1000)
    headers = signed_headers(secret, Target(method, path), body, now)
    return {"content-type": "application/json", **headers}


def _status(url: str) -> dict[str, str]:
    headers = _signed(SIGNING_SECRET, "GET", "/v1/status")
    body: dict[str, str] = httpx.get(url + "/v1/status", headers=headers, timeout=10).json()
    return body


def test_gate_serve_when_restarted_with_state_dir_then_its_state_remembered(sim, tmp_path):
    env = gate_env(sim, "edgegate-restart")
    kept = tmp_path / "gate-state"
    halt = json.dumps({"state": "HALTED", "reason": "test: before restart"}).encode()
    with gate_serve(env, state_dir=kept) as first:
        reply = httpx.post(
            first.url + "/v1/admin/state",
            content=halt,
            headers=_signed(ADMIN_SECRET, "POST", "/v1/admin/state", halt),
            timeout=10,
        )
        assert reply.status_code == 200
    # A new process, a new embedded DynamoDB: only the state directory carries it over.
    with gate_serve(env, state_dir=kept) as second:
        status = _status(second.url)
    assert (status["state"], status["state_reason"]) == ("HALTED", "test: before restart")
    with gate_serve(env) as forgetful:
        assert _status(forgetful.url)["state"] == "ACTIVE"  # --forget-state: as before


def test_gate_serve_when_state_dir_unusable_then_exit_2_in_one_line(sim, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = gate_env(sim, "edgegate-bad-state-dir")
    done = _edgegate("gate", "serve", "--port", "0", "--state-dir", str(blocker / "x"), env=env)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"edgegate gate: --state-dir {blocker / 'x'}: Not a directory"
    ]


def test_brain_run_when_webhook_url_not_http_then_exit_2_naming_it(monkeypatch, capsys):
    monkeypatch.setenv("TRADIER_DATA_TOKEN", "test-token")
    monkeypatch.setenv("EDGEGATE_GATE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", SIGNING_SECRET.decode())
    monkeypatch.setenv("EDGEGATE_SYMBOLS", "SPY")
    monkeypatch.setenv("EDGEGATE_WEBHOOK_URL", "discord.com/api/webhooks/test-not-a-hook")
    assert main(["brain", "run"]) == 2
    assert capsys.readouterr().err.strip() == (
        "edgegate brain run: EDGEGATE_WEBHOOK_URL: must be an http(s) URL, got no scheme"
    )
