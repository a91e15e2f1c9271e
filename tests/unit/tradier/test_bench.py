"""The decode benchmark's generator and the `edgegate bench` dispatcher."""

from __future__ import annotations

import re

import pytest

from edgegate.cli import main as edgegate_main
from tradier.bench import SYMBOLS, check_frames, generate_frames
from tradier.stream import (
    QuoteEvent,
    SummaryEvent,
    TimesaleEvent,
    TradeEvent,
    TradexEvent,
    decode_frame,
)

LAST_LINE = re.compile(
    r"^decode events_per_s=\d+ ratio_to_untyped=\d+\.\d\d stream_events_per_s=\d+$"
)


def test_generate_frames_when_many_then_every_type_and_symbol_decodes() -> None:
    frames = generate_frames(5_000, seed=3)
    events = [decode_frame(f) for f in frames]
    assert check_frames(frames) == 0
    assert {type(e) for e in events} == {
        QuoteEvent,
        TradeEvent,
        TradexEvent,
        TimesaleEvent,
        SummaryEvent,
    }
    assert {e.symbol for e in events if not hasattr(e, "error")} == set(SYMBOLS)


def test_generate_frames_when_same_seed_then_same_bytes() -> None:
    assert generate_frames(500, seed=9) == generate_frames(500, seed=9)


def test_bench_decode_when_stream_skipped_then_machine_readable_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = edgegate_main(["bench", "decode", "--frames", "20000", "--stream-seconds", "0"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert LAST_LINE.match(last), last
    assert code == (0 if float(last.split("ratio_to_untyped=")[1].split()[0]) >= 1.0 else 1)


def test_bench_when_unknown_option_then_the_benchmark_itself_refuses() -> None:
    with pytest.raises(SystemExit) as info:
        edgegate_main(["bench", "decode", "--no-such-option"])
    assert info.value.code == 2
