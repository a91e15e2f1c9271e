"""The demo's live progress: a rich progress bar over the simulated session on a terminal,
plain periodic lines otherwise (so a CI log stays readable and greppable)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from edgegate.report.recorder import Tally
from edgegate.report.summary import money
from tradier.clock import to_new_york

PLAIN_EVERY_MS = 30 * 60_000  # a plain line each half hour of simulated time


def progress_line(tally: Tally, start_ms: int, end_ms: int) -> str:
    """One plain line: simulated time, share of the session done, and the run's counts."""
    done = (tally.now_ms - start_ms) / max(1, end_ms - start_ms)
    at = to_new_york(tally.now_ms).strftime("%H:%M")
    return (
        f"progress {at} ET {done:4.0%}  market events {tally.market_events:,}  "
        f"signals {tally.signals}  proposals {tally.proposals} "
        f"(approved {tally.approved}, refused {tally.refused})  held back {tally.held_back}  "
        f"fills {tally.fills}  P&L {money(tally.pl)}"
    )


class _Counts:
    """The line of counts under the bar, redrawn with it (folded on a narrow terminal)."""

    def __init__(self) -> None:
        self.text = ""

    def __rich__(self) -> Text:
        return Text(self.text, overflow="fold")


class LiveProgress:
    """Shows a run's `Tally`: `update()` after each step, `event_line()` for each event."""

    def __init__(
        self,
        tally: Tally,
        start_ms: int,
        end_ms: int,
        *,
        out: TextIO | None = None,
        force_terminal: bool | None = None,
        plain_every_ms: int = PLAIN_EVERY_MS,
    ) -> None:
        self._tally = tally
        self._start_ms = start_ms
        self._end_ms = end_ms
        self._out = out or sys.stdout
        self.console = Console(file=self._out, force_terminal=force_terminal, highlight=False)
        self._every = plain_every_ms
        self._next_plain = start_ms + plain_every_ms
        self._progress: Progress | None = None
        self._live: Live | None = None
        self._counts = _Counts()
        self._task: TaskID | None = None

    @property
    def live(self) -> bool:
        """True when drawing a live bar (a terminal), False when printing plain lines."""
        return self.console.is_terminal

    def __enter__(self) -> LiveProgress:
        if self.live:
            self._progress = Progress(
                TextColumn("[bold]{task.fields[clock]} ET"),
                BarColumn(bar_width=None),
                TextColumn("{task.percentage:>3.0f}% of the session"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self._task = self._progress.add_task(
                "session", total=self._end_ms - self._start_ms, clock="--:--:--"
            )
            self._live = Live(
                Group(self._progress, self._counts), console=self.console, refresh_per_second=8
            )
            self._live.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
        elif kind is None:
            print(progress_line(self._tally, self._start_ms, self._end_ms), file=self._out)

    def update(self) -> None:
        """Redraw from the tally (the bar), or print a line each `plain_every_ms`."""
        t = self._tally
        if self._progress is not None and self._task is not None:
            self._counts.text = (
                f"market events {t.market_events:,} · signals {t.signals} · "
                f"proposals {t.proposals} ({t.approved} approved, {t.refused} refused) · "
                f"held back {t.held_back} · fills {t.fills} · P&L {money(t.pl)}"
            )
            self._progress.update(
                self._task,
                completed=t.now_ms - self._start_ms,
                clock=to_new_york(t.now_ms).strftime("%H:%M:%S"),
            )
        elif t.now_ms >= self._next_plain and t.now_ms < self._end_ms:
            self._next_plain += self._every
            print(progress_line(t, self._start_ms, self._end_ms), file=self._out, flush=True)

    def event_line(self, line: str) -> None:
        """Print one event line (above the bar on a terminal)."""
        if self._live is not None:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self._out, flush=True)
