"""The demo's progress: a live bar on a terminal, a plain line each half hour otherwise."""

from __future__ import annotations

import io
from decimal import Decimal

from edgegate.report.progress import LiveProgress
from edgegate.report.recorder import Tally
from tests.unit.edgegate.report.factories import OPEN_MS, at


def test_progress_when_not_a_terminal_then_a_plain_line_each_half_hour_and_at_the_end() -> None:
    out = io.StringIO()
    tally = Tally()
    with LiveProgress(tally, OPEN_MS, at(90), out=out) as progress:
        assert not progress.live
        progress.event_line("09:31:00 SIGNAL   SPY")
        for minute in range(1, 90):
            tally.now_ms = at(minute)
            tally.signals = minute // 10
            tally.pl = Decimal("-12.5")
            progress.update()
        tally.now_ms = at(90)
        progress.update()
    lines = out.getvalue().splitlines()
    assert lines[0] == "09:31:00 SIGNAL   SPY"
    assert [line.split()[1] for line in lines[1:]] == ["10:00", "10:30", "11:00"]
    assert lines[1].startswith("progress 10:00 ET  33%  market events 0  signals 3 ")
    assert lines[-1].endswith("fills 0  P&L -12.50")


def test_progress_when_a_terminal_then_draws_the_bar_with_time_and_counts() -> None:
    out = io.StringIO()
    tally = Tally(now_ms=at(45), market_events=1234, proposals=3, approved=2, refused=1, fills=2)
    with LiveProgress(tally, OPEN_MS, at(90), out=out, force_terminal=True) as progress:
        assert progress.live
        progress.update()
        progress.event_line("10:15:00 DECISION SPY")
    drawn = out.getvalue()
    assert "10:15:00 ET" in drawn
    assert "50% of the session" in drawn
    assert "events 1,234" in drawn and "(2 approved, 1 refused)" in drawn
    assert "10:15:00 DECISION SPY" in drawn
