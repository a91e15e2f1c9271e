"""`edgegate bench gate` runs end to end and ends with its machine-readable line."""

from __future__ import annotations

import re

import pytest

from functions.local.bench import main


def test_bench_gate_when_run_small_then_last_line_has_the_four_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--proposals", "4", "--warmup", "1", "--import-runs", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("approved 4 of 4")
    match = re.fullmatch(
        r"gate handler_ms=([0-9.]+) ddb_calls=([0-9.]+) tradier_calls=([0-9.]+) "
        r"import_ms=([0-9.]+)",
        lines[-1],
    )
    assert match is not None, lines[-1]
    assert float(match.group(2)) >= 1 and float(match.group(3)) >= 1


def test_bench_gate_when_closes_then_each_reads_positions_and_working_orders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--proposals", "3", "--warmup", "1", "--import-runs", "1", "--closes"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("approved 3 of 3")
    match = re.search(r"ddb_calls=([0-9.]+) tradier_calls=([0-9.]+)", lines[-1])
    assert match is not None, lines[-1]
    # positions, working orders and the order (clock and balances come from a cache).
    assert float(match.group(1)) == 3 and float(match.group(2)) == 3
