"""The pipeline benchmark on a small generated week (the full run is `edgegate bench
pipeline`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brain.bench import generate_days, main
from tradier.stream import QuoteEvent, TradeEvent, TradexEvent, decode_frame


def test_generator_when_seeded_then_same_frames_and_a_mixed_week() -> None:
    days = generate_days(10_000, seed=3)
    assert days == generate_days(10_000, seed=3)
    assert len(days) == 5 and sum(len(d) for d in days) == 10_000
    kinds = {type(decode_frame(f)) for d in days for f in d}
    assert kinds == {QuoteEvent, TradeEvent, TradexEvent}


def test_bench_when_run_small_then_last_line_has_every_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--frames", "20000"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("strategies: ") for line in lines)
    m = re.fullmatch(
        r"pipeline events_per_s=(\d+) ratio_to_decode=([\d.]+) p99_us=([\d.]+) "
        r"peak_rss_mb=([\d.]+)",
        lines[-1],
    )
    assert m is not None, lines[-1]
    assert int(m.group(1)) > 0 and 0 < float(m.group(2)) < 1.5 and float(m.group(4)) > 0


def test_bench_when_file_has_no_frames_then_error_code(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ndjson"
    empty.write_bytes(b"\n")
    assert main(["--events", str(empty)]) == 2
