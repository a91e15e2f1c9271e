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
