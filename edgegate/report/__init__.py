"""What `edgegate demo` shows and leaves behind: live progress, the closing summary, and
`edgegate-report/` (report.html and trades.csv), all from the broker's own fills and marks.

records (the typed run) → pnl (the book, valued, reconciled with the broker) → trades (the
run as a trader reads it) → summary, page (report.html), trades_csv. The recorder,
broker_view and gate_audit gather a run while it goes; progress shows it.
"""

from __future__ import annotations

from pathlib import Path

from edgegate.report.page import render
from edgegate.report.records import AnalystReview, RunRecord
from edgegate.report.summary import closing_summary
from edgegate.report.trades_csv import trades_csv

__all__ = ["AnalystReview", "RunRecord", "closing_summary", "write_report"]

DEFAULT_DIR = Path("edgegate-report")


def write_report(run: RunRecord, directory: Path = DEFAULT_DIR) -> tuple[Path, Path]:
    """Write report.html and trades.csv into `directory` (made if missing); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / "report.html"
    page.write_text(render(run), encoding="utf-8")
    trades = directory / "trades.csv"
    trades.write_text(trades_csv(run), encoding="utf-8")
    return page, trades
