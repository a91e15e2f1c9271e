"""Issue 11's rough edges, each as the user met it: the real CLI, its exit code and the
one line the user reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from edgegate.cli import main

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
