"""`edgegate demo` end to end, then its report.html in a real browser (headless Chromium).

The demo runs as a user runs it (a subprocess, stdout not a terminal), over a short window
of a fixed seed that still has fills and a refusal. Chromium loads the page from disk with
every network feature off, so the charts can only come from the plotly.js inside the file;
`--dump-dom` gives the DOM after the scripts ran, and `--screenshot` keeps a picture in
tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.chromium import CHROMIUM_FLAGS, chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(400)]

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "artifacts"
MINUTES = 45  # seed 7: two openings filled by 09:36, the gate's group cap met at 09:43
SYMBOLS = ("SPY", "QQQ", "IWM", "DIA")
PROPOSAL_ID = re.compile(r"^\S+ PROPOSAL .* id=([0-9a-f-]{36}) ", re.M)


class _Dom(HTMLParser):
    """What the test reads of the rendered page: each chart's drawn lines and markers, and
    the rows of each table."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: str | None = None
        self.table: str | None = None
        self.line_points: dict[str, list[int]] = defaultdict(list)
        self.markers: dict[str, int] = defaultdict(int)
        self.rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._cells: list[str] | None = None
        self._text: list[str] = []
        self._row_attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        element_id = a.get("id", "")
        classes = a.get("class", "").split()
        if tag == "div" and (element_id == "equity-chart" or element_id.startswith("price-")):
            self.chart = element_id
        elif tag == "table":
            self.chart, self.table = None, element_id
        elif tag == "path" and self.chart is not None:
            if "js-line" in classes and a.get("d", "").startswith("M"):
                self.line_points[self.chart].append(a["d"].count("L") + 1)
            elif "point" in classes:
                self.markers[self.chart] += 1
        elif tag == "tr" and self.table is not None:
            self._cells, self._row_attrs = [], a
        elif tag == "td" and self._cells is not None:
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cells is not None:
            self._cells.append("".join(self._text).strip())
        elif tag == "tr" and self._cells is not None and self.table is not None:
            if self._cells:
                self.rows[self.table].append({**self._row_attrs, "cells": " | ".join(self._cells)})
            self._cells = None
        elif tag == "table":
            self.table = None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo's stdout and its report directory."""
    report_dir = tmp_path_factory.mktemp("demo") / "edgegate-report"
    done = subprocess.run(
        [sys.executable, "-m", "edgegate", "demo", "--seed", "7", "--minutes", str(MINUTES),
         "--report-dir", str(report_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout, report_dir


@pytest.fixture(scope="module")
def dom(demo: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> _Dom:
    browser = chromium()
    page = (demo[1] / "report.html").as_uri()
    profile = tmp_path_factory.mktemp("chromium-profile")
    dumped = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000",
         "--virtual-time-budget=10000", "--dump-dom", page],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert dumped.returncode == 0, dumped.stderr[-3000:]
    parsed = _Dom()
    parsed.feed(dumped.stdout)
    return parsed


def test_demo_when_short_window_then_summary_shows_a_fill_its_pl_and_a_refusal(
    demo: tuple[str, Path],
) -> None:
    out, report_dir = demo
    assert re.search(r"^fills: [1-9]\d* orders", out, re.M)
    assert re.search(r"^      (buy|sell)\S* +[+-]\d+ \S+ +@ \d+\.\d\d", out, re.M)
    assert "agrees with its /balances to the cent" in out
    assert re.search(r"^  realised [+-][\d,]+\.\d\d   open [+-][\d,]+\.\d\d", out, re.M)
    assert re.search(r"^refused by the gate: [1-9]", out, re.M)
    assert re.search(
        r"^  \d\d:\d\d:\d\d \w+ +\S+ open x\d+: CORRELATION_GROUP_LIMIT - .+", out, re.M
    )
    assert (report_dir / "report.html").is_file()
    assert (report_dir / "trades.csv").read_text().count("\n") >= 2


def test_report_when_opened_in_chromium_then_every_chart_is_drawn(dom: _Dom) -> None:
    charts = ["equity-chart", *(f"price-chart-{s}" for s in SYMBOLS)]
    assert sorted(dom.line_points) == sorted(charts)
    for chart in charts:
        # A minute a point: a line drawn across the whole window, not an empty axis.
        assert max(dom.line_points[chart]) >= MINUTES - 5, (chart, dom.line_points[chart])
    assert sum(dom.markers.values()) >= 1  # entries (and exits) marked on the prices


def test_report_when_opened_in_chromium_then_tables_hold_the_runs_proposals(
    demo: tuple[str, Path], dom: _Dom
) -> None:
    sent = PROPOSAL_ID.findall(demo[0])
    assert sent, "the demo printed no proposal"
    shown = [row.get("data-proposal-id") for row in dom.rows["proposals"]]
    assert shown == sent
    refused = [r["cells"] for r in dom.rows["proposals"] if "| REJECTED |" in r["cells"]]
    assert refused and all("CORRELATION_GROUP_LIMIT" in cells for cells in refused)
    assert dom.rows["fills"] and dom.rows["audit"]
    # Every decision the brain heard is in the gate's audit trail (a proposal whose answer
    # was lost to a timeout on a loaded machine has NO ANSWER here, and may or may not).
    decided = {
        row["data-proposal-id"]
        for row in dom.rows["proposals"]
        if "| APPROVED |" in row["cells"] or "| REJECTED |" in row["cells"]
    }
    audited = {
        row["cells"].rsplit(" | ", 1)[-1]
        for row in dom.rows["audit"]
        if row["cells"].split(" | ")[1] == "decision"
    }
    errors = [line for line in demo[0].splitlines() if " ERROR " in line]
    assert decided and decided <= audited, (sorted(decided - audited), errors)
    assert all(r["cells"].endswith("| yes") for r in dom.rows["reconciliation"])


def test_report_when_screenshotted_then_a_picture_is_kept_as_an_artefact(
    demo: tuple[str, Path], tmp_path: Path
) -> None:
    browser = chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path}", "--window-size=1280,4200",
         "--hide-scrollbars", "--virtual-time-budget=10000", f"--screenshot={shot}",
         (demo[1] / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 100_000  # a page of charts and tables, not a blank one
