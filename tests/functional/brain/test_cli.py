"""`edgegate brain run` and `edgegate brain replay FILE` as an operator runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from edgegate.cli import main
from tests.functional.functions.conftest import SIGNING_SECRET, gate_env
from tests.support.local_gates import scratch_local_gate
from tradier.sim.core import SimConfig
from tradier.sim.server import run_in_thread

REPO = Path(__file__).resolve().parents[3]
T0 = 1_795_012_200_000  # 2026-11-18 09:30 New York


def test_brain_run_when_variable_missing_then_exit_2_naming_it(monkeypatch, capsys):
    for name in ("TRADIER_DATA_TOKEN", "EDGEGATE_GATE_URL", "EDGEGATE_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EDGEGATE_SYMBOLS", "SPY")
    assert main(["brain", "run"]) == 2
    assert "TRADIER_DATA_TOKEN" in capsys.readouterr().err


def _frames(path: Path) -> None:
    lines = []
    for minute in range(40):
        for second in (1, 20, 40):
            ms = T0 + minute * 60_000 + second * 1000
            price = 500 + minute * 0.05 + second / 1000
            lines.append(
                json.dumps(
                    {
                        "type": "quote",
                        "symbol": "SPY",
                        "bid": price - 0.01,
                        "ask": price + 0.01,
                        "bidsz": 1,
                        "asksz": 1,
                        "bidexch": "P",
                        "askexch": "P",
                        "biddate": str(ms),
                        "askdate": str(ms),
                    }
                )
            )
            lines.append(
                json.dumps(
                    {
                        "type": "trade",
                        "symbol": "SPY",
                        "exch": "P",
                        "price": f"{price:.2f}",
                        "size": "100",
                        "cvol": "1",
                        "date": str(ms),
                        "last": f"{price:.2f}",
                    }
                )
            )
    path.write_text("\n".join(lines) + "\n")


def test_brain_replay_when_file_then_frames_replayed_and_summary_printed(tmp_path, capsys):
    frames = tmp_path / "frames.ndjson"
    _frames(frames)
    assert main(["brain", "replay", str(frames), "--symbols", "SPY", "--seed", "3"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("replay signals=")
    assert "errors=0" in last


def test_brain_replay_when_file_missing_then_exit_2(tmp_path, capsys):
    assert main(["brain", "replay", str(tmp_path / "nope.ndjson")]) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_brain_run_when_sigterm_then_state_flushed_and_clean_exit(tmp_path):
    state = tmp_path / "state"
    # A real gate: the brain asks for its status at start and stops when it cannot.
    with (
        run_in_thread(SimConfig(seed=2, follow_calendar=True)) as sim,
        scratch_local_gate(gate_env(sim, "edgegate-brain-sigterm"), schedules=False) as gate,
    ):
        env = {
            **os.environ,
            "TRADIER_DATA_TOKEN": "sim-token",
            "TRADIER_DATA_BASE_URL": sim.api_url,
            "TRADIER_STREAM_URL": sim.ws_url,
            "EDGEGATE_GATE_URL": gate.url,
            "EDGEGATE_SIGNING_SECRET": SIGNING_SECRET.decode(),
            "EDGEGATE_SYMBOLS": "SPY,QQQ",
            "EDGEGATE_STATE_DIR": str(state),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "edgegate", "brain", "run", "--log-level", "ERROR"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while not (state / "limits.json").exists():
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.05)
            for name in ("limits.json", "positions.json"):
                (state / name).unlink()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()
    for name in ("limits.json", "positions.json"):
        body = json.loads((state / name).read_text())
        assert body["version"] == 1 and isinstance(body["data"], dict)
    assert [p.name for p in state.iterdir() if p.name.endswith(".tmp")] == []


def test_brain_run_when_sandbox_token_then_exit_2_at_start_saying_why(tmp_path):
    # The simulator refuses this token on the stream-session POST, as the sandbox would:
    # the brain says so at once instead of sleeping until the next open.
    config = SimConfig(seed=2, follow_calendar=True, sandbox_tokens=("sandbox-token-not-real",))
    with run_in_thread(config) as sim:
        env = {
            **os.environ,
            "TRADIER_DATA_TOKEN": "sandbox-token-not-real",
            "TRADIER_DATA_BASE_URL": sim.api_url,
            "TRADIER_STREAM_URL": sim.ws_url,
            "EDGEGATE_GATE_URL": "http://127.0.0.1:9",
            "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
            "EDGEGATE_SYMBOLS": "SPY",
            "EDGEGATE_STATE_DIR": str(tmp_path / "state"),
        }
        done = subprocess.run(
            [sys.executable, "-m", "edgegate", "brain", "run", "--log-level", "ERROR"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert "production" in done.stderr


@pytest.mark.parametrize(
    ("secret", "told"),
    [
        ("x", "at least 32 bytes, got 1"),
        ("test-signing-secret-" + "x" * 11, "at least 32 bytes, got 31"),
    ],
)
def test_brain_run_when_signing_secret_under_32_bytes_then_exit_2_naming_it(
    monkeypatch, capsys, secret, told
):
    monkeypatch.setenv("TRADIER_DATA_TOKEN", "test-token")
    monkeypatch.setenv("EDGEGATE_GATE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("EDGEGATE_SYMBOLS", "SPY")
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", secret)
    assert main(["brain", "run"]) == 2
    err = capsys.readouterr().err
    assert f"EDGEGATE_SIGNING_SECRET: must be {told}" in err


def test_brain_replay_when_gate_given_with_short_secret_then_exit_2_before_sending(
    monkeypatch, capsys
):
    monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", "x")
    assert main(["brain", "replay", "--sim", "--gate", "http://127.0.0.1:9"]) == 2
    assert "EDGEGATE_SIGNING_SECRET: must be at least 32 bytes" in capsys.readouterr().err


def test_brain_run_when_symbol_unknown_to_the_market_then_exit_2_at_start_naming_it(tmp_path):
    # ZZZZ9 is well-formed for the config but no market lists it: the quotes endpoint
    # answers it in unmatched_symbols, and the brain stops instead of streaming nothing.
    with run_in_thread(SimConfig(seed=2, follow_calendar=True)) as sim:
        env = {
            **os.environ,
            "TRADIER_DATA_TOKEN": "sim-token",
            "TRADIER_DATA_BASE_URL": sim.api_url,
            "TRADIER_STREAM_URL": sim.ws_url,
            "EDGEGATE_GATE_URL": "http://127.0.0.1:9",
            "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
            "EDGEGATE_SYMBOLS": "AAPL,ZZZZ9,BRK/B",
            "EDGEGATE_STATE_DIR": str(tmp_path / "state"),
        }
        done = subprocess.run(
            [sys.executable, "-m", "edgegate", "brain", "run", "--log-level", "ERROR"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert "EDGEGATE_SYMBOLS: ZZZZ9: unknown to the market-data API" in done.stderr
    assert "AAPL" not in done.stderr and "BRK/B" not in done.stderr


def test_brain_replay_when_watchlist_given_then_its_gate_approves_proposals_on_it(capsys):
    # The in-process gate runs infra's constitution with --symbols added to its universe:
    # AAPL and MSFT, listed nowhere in infra/constitution.toml, are approved.
    argv = ["brain", "replay", "--sim", "--seed", "7", "--minutes", "4", "--step", "10"]
    assert main([*argv, "--symbols", "AAPL,MSFT"]) == 0
    decisions = [
        line.split()[2:5] for line in capsys.readouterr().out.splitlines() if " DECISION " in line
    ]
    # Which strategy fires is the strategies' business; the gate approving both is this test's.
    approved = {symbol for symbol, _strategy, decision in decisions if decision == "APPROVED"}
    assert approved == {"AAPL", "MSFT"}, decisions
