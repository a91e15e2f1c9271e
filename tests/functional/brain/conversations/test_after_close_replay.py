"""The day's outcomes from the real engine's events: a replayed morning through the
simulator and the in-process gate reports into a DayBook, and the close hook stores
insights whose provenance names that day's proposals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

import pytest

from brain.conversations.after_close import AfterClose
from brain.conversations.daybook import DayBook
from brain.conversations.insights import LearnedInsight, Outcome
from brain.conversations.store import MemorySessionStore
from brain.replay import ReplayOptions, default_day, replay_sim
from brain.schedule import MarketSchedule
from edgegate.compose import in_process_gate
from gatekeeper.messages import Intent
from tests.functional.brain.conversations.support import Calendar
from tradier.clock import NEW_YORK, ManualClock, from_datetime

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


class Citing:
    """A learner that states one lesson per symbol, citing every outcome of it."""

    async def propose(self, outcomes: Sequence[Outcome]) -> list[LearnedInsight]:
        symbols = sorted({o.symbol for o in outcomes})
        return [
            LearnedInsight(
                symbol=s,
                key="approved-openings",
                text=f"{s}: openings approved",
                provenance=[o.proposal_id for o in outcomes if o.symbol == s],
            )
            for s in symbols
        ]


async def test_after_close_when_real_engine_traded_then_insights_cite_its_proposals() -> None:
    day = default_day()
    clock = ManualClock(from_datetime(datetime.combine(day, time(9, 30), tzinfo=NEW_YORK)))
    book = DayBook(clock)
    options = ReplayOptions(seed=7, minutes=10, step_s=10.0, gate_factory=in_process_gate)
    result = await replay_sim(options, book.record)
    openings = [p.id for p in result.proposals if p.intent is Intent.OPEN]
    decided = {e.decision.proposal_id for e in result.events if e.decision is not None}
    assert openings and set(openings) <= decided  # seed 7 opens by 09:36

    outcomes = book.outcomes(day)
    assert [o.proposal_id for o in outcomes] == openings
    store = MemorySessionStore()
    after = AfterClose(
        MarketSchedule(Calendar(), clock), clock, _advance(clock), book, Citing(), store
    )

    stored = await after.step()

    assert stored == len({o.symbol for o in outcomes})
    cited = {
        pid
        for o in outcomes
        for i in store.insights(o.symbol, clock.now_ms(), 10)
        for pid in i.provenance
    }
    assert cited == set(openings)


def _advance(clock: ManualClock):  # type: ignore[no-untyped-def]
    async def sleep(seconds: float) -> None:
        clock.advance(int(seconds * 1000) + 1)

    return sleep
