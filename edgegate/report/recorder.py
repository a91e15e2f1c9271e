"""The demo's recorder: counts the run for its progress display and keeps what the report needs.

It is the replay's observer (`brain.replay.ReplayObserver`) and its event sink. Each step
it notes the simulated time and the market events streamed; once a simulated minute it
values the account from the broker's fills and marks (and keeps the broker's own equity
beside it); at the end it takes the final snapshot and each symbol's minute prices.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from brain.engine import EngineEvent
from edgegate.report.broker_view import minute_prices, snapshot
from edgegate.report.pnl import book_fills, value
from edgegate.report.records import (
    AnalystReview,
    BrokerSnapshot,
    EquityPoint,
    PricePoint,
    RunRecord,
)
from gatekeeper.records import AuditEntry
from tradier.sim.server import SimServer

MINUTE_MS = 60_000


@dataclass
class Tally:
    """The running counts the progress display shows."""

    now_ms: int = 0
    market_events: int = 0
    signals: int = 0
    proposals: int = 0
    approved: int = 0
    refused: int = 0
    held_back: int = 0
    errors: int = 0
    fills: int = 0  # orders with at least one execution
    pl: Decimal = Decimal(0)  # equity less starting cash, at the last minute valued


@dataclass
class RunRecorder:
    """Observer and event sink of one demo run; `record()` gives its `RunRecord`."""

    day: date
    seed: int
    start_ms: int
    end_ms: int
    symbols: Sequence[str]
    on_event: Callable[[EngineEvent], None] = lambda event: None
    on_step: Callable[[], None] = lambda: None  # after each step is counted (the progress)
    # Run in a worker thread before the closing snapshot: the gate's schedules stop there
    # while the loop still serves the simulator, which a reconcile in flight may be calling.
    on_finish: Callable[[], None] = lambda: None
    tally: Tally = field(default_factory=Tally)
    events: list[EngineEvent] = field(default_factory=list)
    equity: list[EquityPoint] = field(default_factory=list)
    final: BrokerSnapshot | None = None
    prices: dict[str, list[PricePoint]] = field(default_factory=dict)
    _last_minute: int = -1

    def event(self, event: EngineEvent) -> None:
        """The replay's report callback: keep and count the event, then pass it on."""
        self.events.append(event)
        t = self.tally
        if event.kind == "signal":
            t.signals += 1
        elif event.kind == "proposal":
            t.proposals += 1
        elif event.kind == "skip":
            t.held_back += 1
        elif event.kind == "error":
            t.errors += 1
        elif event.decision is not None:
            if event.decision.decision.value == "APPROVED":
                t.approved += 1
            else:
                t.refused += 1
        self.on_event(event)

    def stepped(self, sim: SimServer, now_ms: int) -> None:
        """See `ReplayObserver.stepped`: time and events every step, equity every minute."""
        self.tally.now_ms = now_ms
        self.tally.market_events = sim.frames_sent
        minute = now_ms // MINUTE_MS
        if minute != self._last_minute:
            self._last_minute = minute
            self._value(sim, now_ms)
        self.on_step()

    async def finished(self, sim: SimServer) -> None:
        """See `ReplayObserver.finished`: the closing snapshot and the day's prices."""
        await asyncio.to_thread(self.on_finish)
        self.final = snapshot(sim)
        self._value(sim, self.final.at_ms)
        self.prices = {
            s: minute_prices(sim, s, self.day, self.start_ms, self.end_ms) for s in self.symbols
        }

    def _value(self, sim: SimServer, now_ms: int) -> None:
        shot = snapshot(sim)
        book = book_fills(shot.fills, shot.starting_cash)
        valued = value(book, shot.marks)
        point = EquityPoint(now_ms, valued.equity, shot.figures.total_equity)
        if self.equity and self.equity[-1].at_ms == now_ms:
            self.equity[-1] = point
        else:
            self.equity.append(point)
        self.tally.fills = len({f.order_id for f in shot.fills})
        self.tally.pl = valued.total_pl

    def record(
        self,
        audit: Sequence[AuditEntry] = (),
        reviews: Sequence[AnalystReview] = (),
        constitution: str = "",
    ) -> RunRecord:
        """The run as the report reads it; only after `finished`."""
        if self.final is None:
            raise RuntimeError("the run has not finished: no closing snapshot")
        return RunRecord(
            day=self.day,
            seed=self.seed,
            start_ms=self.start_ms,
            end_ms=self.end_ms,
            events=tuple(self.events),
            final=self.final,
            equity=tuple(self.equity),
            prices=self.prices,
            audit=tuple(audit),
            reviews=tuple(reviews) or reviews_of(self.events),
            constitution=constitution,
        )


def reviews_of(events: Sequence[EngineEvent]) -> tuple[AnalystReview, ...]:
    """The analyst's reviews among the engine's events, each with the proposal it let
    through (the next proposal of the same symbol and strategy), if any."""
    out: list[AnalystReview] = []
    for i, event in enumerate(events):
        outcome = event.review
        if event.kind != "review" or outcome is None:
            continue
        proposal_id = None
        if outcome.proceeds:
            for later in events[i + 1 :]:
                same = (later.symbol, later.strategy) == (event.symbol, event.strategy)
                if same and later.kind == "proposal" and later.proposal is not None:
                    proposal_id = later.proposal.id
                    break
        out.append(
            AnalystReview(
                at_ms=event.at_ms,
                symbol=event.symbol,
                strategy=event.strategy,
                verdict=outcome.status,
                rationale=outcome.rationale,
                reviewer=outcome.analyst,
                proposal_id=proposal_id,
                # The offline analyst costs nothing; a model call's cost is in its call log.
                cost_usd=Decimal(0) if outcome.analyst == "offline" else None,
            )
        )
    return tuple(out)
