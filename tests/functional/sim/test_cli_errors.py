"""`edgegate sim serve` refuses a bad option, file or port with one line, not a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from edgegate.cli import main


def _stderr_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip()


def test_sim_serve_when_port_taken_then_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["sim", "serve", "--port", str(port)]) == 2
    line = _stderr_line(capsys)
    assert line.startswith("edgegate sim serve:") and str(port) in line


def test_sim_serve_when_data_file_missing_then_one_line_naming_it_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "day.ndjson"
    assert main(["sim", "serve", "--port", "0", "--data", str(missing)]) == 2
    assert str(missing) in _stderr_line(capsys)


def test_sim_serve_when_speed_zero_then_one_line_naming_the_field_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["sim", "serve", "--port", "0", "--speed", "0"]) == 2
    assert "speed" in _stderr_line(capsys)
