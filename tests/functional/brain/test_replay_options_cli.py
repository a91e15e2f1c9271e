"""`edgegate brain replay` and `edgegate demo` refuse a day, length or step they cannot run."""

from __future__ import annotations

import pytest

from edgegate.cli import main

REFUSED = [
    (["--day", "2026-11-21"], "--day"),  # a Saturday
    (["--day", "2026-11-26"], "--day"),  # Thanksgiving
    (["--minutes", "0"], "--minutes"),
    (["--minutes", "-5"], "--minutes"),
    (["--step", "-1"], "--step"),
]


@pytest.mark.parametrize(("extra", "option"), REFUSED)
def test_brain_replay_when_option_cannot_run_then_exit_2_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], extra: list[str], option: str
) -> None:
    assert main(["brain", "replay", "--sim", "--dry-run", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"edgegate brain replay: {option} ")


@pytest.mark.parametrize(("extra", "option"), REFUSED)
def test_demo_when_option_cannot_run_then_exit_2_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], extra: list[str], option: str
) -> None:
    assert main(["demo", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"edgegate demo: {option} ")


def test_brain_replay_help_when_shown_then_seed_explained(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["brain", "replay", "--help"])
    assert exit_info.value.code == 0
    assert "same seed, same day" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["brain", "replay", "--sim", "--dry-run"], ["demo"]])
def test_replay_and_demo_when_symbol_unknown_to_the_simulator_then_exit_2_naming_it(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([*command, "--minutes", "1", "--symbols", "AAPL,SPXW"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert "--symbols: SPXW: unknown to the market-data API" in err[0]


@pytest.mark.parametrize("command", [["brain", "replay", "--sim", "--dry-run"], ["demo"]])
def test_replay_and_demo_when_symbol_malformed_then_exit_2_naming_it(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([*command, "--symbols", "AAPL,BRK//B"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"edgegate {command[0]}{' replay' if command[0] == 'brain' else ''}: "
        "--symbols: 'BRK//B' is not a valid equity symbol"
    ]
