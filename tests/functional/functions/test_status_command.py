"""`edgegate status`: one signed v2 GET /v1/status from the command line, on a local gate."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from edgegate.cli import main
from functions.local.embedded import local_gate
from tests.functional.functions.conftest import ADMIN_SECRET, SIGNING_SECRET, gate_env
from tradier.sim.server import RunningSim


@pytest.fixture
def gate_url(sim: RunningSim) -> Iterator[str]:
    with local_gate(gate_env(sim, "edgegate-local-gate"), schedules=False) as running:
        yield running.url


def _use(monkeypatch: pytest.MonkeyPatch, url: str, secret: bytes | None) -> None:
    monkeypatch.setenv("EDGEGATE_GATE_URL", url)
    if secret is None:
        monkeypatch.delenv("EDGEGATE_SIGNING_SECRET", raising=False)
    else:
        monkeypatch.setenv("EDGEGATE_SIGNING_SECRET", secret.decode())


def test_status_command_when_signing_secret_right_then_prints_state_and_exits_0(
    gate_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, gate_url, SIGNING_SECRET)
    assert main(["status"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["state"] == "ACTIVE"
    assert printed["open_structures"] == 0


def test_status_command_when_signed_with_admin_secret_then_401_and_exits_1(
    gate_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, gate_url, ADMIN_SECRET)
    assert main(["status"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["code"] == "UNAUTHORIZED"
    assert "HTTP 401" in captured.err


def test_status_command_when_secret_missing_then_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, "http://127.0.0.1:9", None)
    assert main(["status"]) == 2
    assert "EDGEGATE_SIGNING_SECRET" in capsys.readouterr().err


def test_status_command_when_secret_short_then_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, "http://127.0.0.1:9", b"too-short")
    assert main(["status"]) == 2
    assert "EDGEGATE_SIGNING_SECRET: must be at least 32 bytes" in capsys.readouterr().err


def test_status_command_when_gate_unreachable_then_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _use(monkeypatch, f"http://127.0.0.1:{port}", SIGNING_SECRET)
    assert main(["status", "--timeout", "2"]) == 2
    assert "cannot reach the gate" in capsys.readouterr().err
