"""The close hook on a manual clock over Tradier's calendar: after each window ends, the
day's outcomes (from engine events, as the live brain reports them) become insights once;
a day without outcomes asks nothing; a failing learner is logged and the hook goes on."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from brain.conversations.after_close import AfterClose
from brain.conversations.daybook import DayBook
from brain.conversations.insights import LearnedInsight, OfflineLearner, Outcome
from brain.conversations.store import MemorySessionStore
from brain.engine import EngineEvent
from brain.schedule import MarketSchedule
from gatekeeper.messages import (
    Decision,
    DecisionKind,
    Duration,
    EquitySide,
    Intent,
    OrderState,
    OrderType,
    Proposal,
    ReasonCode,
    Source,
    SourceKind,
    Strategy,
)
from tests.functional.brain.conversations.support import Calendar
from tradier.clock import NEW_YORK, ManualClock, from_datetime, to_new_york

THURSDAY = date(2026, 12, 3)
FRIDAY = date(2026, 12, 4)
MORNING = from_datetime(datetime.combine(THURSDAY, time(10, 30), tzinfo=NEW_YORK))


class Counting:
    """The offline learner, counting how often it is asked."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[int] = []
        self.fail = fail

    async def propose(self, outcomes: Sequence[Outcome]) -> list[LearnedInsight]:
        self.asked.append(len(outcomes))
        if self.fail:
            raise ConnectionError("learner down")
        return await OfflineLearner().propose(outcomes)


def proposal(n: int, symbol: str = "SPY") -> Proposal:
    return Proposal(
        id=str(uuid.UUID(int=n)),
        created_at=MORNING,
        symbol=symbol,
        strategy=Strategy.EQUITY,
        intent=Intent.OPEN,
        quantity=10,
        order_type=OrderType.LIMIT,
        price="500.25",
        duration=Duration.DAY,
        side=EquitySide.BUY,
        source=Source(kind=SourceKind.SIGNAL, name="equity_trend"),
    )


def trade_the_morning(book: DayBook, clock: ManualClock) -> list[str]:
    """Two SPY openings refused for the symbol's rate, one QQQ approved and closed."""
    ids = []
    for n, symbol, decision in (
        (
            1,
            "SPY",
            Decision(str(uuid.UUID(int=1)), DecisionKind.REJECTED, ReasonCode.SYMBOL_RATE_LIMITED),
        ),
        (
            2,
            "SPY",
            Decision(str(uuid.UUID(int=2)), DecisionKind.REJECTED, ReasonCode.SYMBOL_RATE_LIMITED),
        ),
        (
            3,
            "QQQ",
            Decision(str(uuid.UUID(int=3)), DecisionKind.APPROVED, order_state=OrderState.FILLED),
        ),
    ):
        p = proposal(n, symbol)
        now = clock.now_ms()
        book.record(EngineEvent(now, "proposal", symbol, "equity_trend", "open", proposal=p))
        book.record(EngineEvent(now, "decision", symbol, "equity_trend", "x", decision=decision))
        ids.append(p.id)
        clock.advance(60_000)
    return ids


def hook(clock: ManualClock, book: DayBook, learner: Any, store: MemorySessionStore) -> AfterClose:
    async def sleep(seconds: float) -> None:
        clock.advance(int(seconds * 1000) + 1)

    return AfterClose(MarketSchedule(Calendar(), clock), clock, sleep, book, learner, store)


async def test_after_close_when_day_had_outcomes_then_insights_stored_naming_its_proposals() -> (
    None
):
    clock = ManualClock(MORNING)
    book, store = DayBook(clock), MemorySessionStore()
    ids = trade_the_morning(book, clock)
    book.closed(ids[2], Decimal("-42.00"))
    after = hook(clock, book, OfflineLearner(), store)

    assert await after.step() == 1

    assert to_new_york(clock.now_ms()).time() >= time(16, 5)  # after the close, that day
    assert to_new_york(clock.now_ms()).date() == THURSDAY
    [insight] = store.insights("SPY", clock.now_ms(), 10)
    assert insight.provenance == (ids[0], ids[1])
    assert insight.key == "rejected-symbol_rate_limited"
    assert store.insights("QQQ", clock.now_ms(), 10) == []


async def test_after_close_when_day_without_outcomes_then_learner_not_asked_and_none_stored() -> (
    None
):
    clock = ManualClock(MORNING)
    book, store = DayBook(clock), MemorySessionStore()
    learner = Counting()
    after = hook(clock, book, learner, store)

    assert await after.step() == 0

    assert to_new_york(clock.now_ms()).date() == THURSDAY
    assert learner.asked == []
    assert store.insights("SPY", clock.now_ms(), 10) == []


async def test_after_close_when_next_day_has_no_outcomes_then_nothing_asked_nor_stored() -> None:
    clock = ManualClock(MORNING)
    book, store = DayBook(clock), MemorySessionStore()
    trade_the_morning(book, clock)
    learner = Counting()
    after = hook(clock, book, learner, store)

    assert await after.step() == 1
    assert learner.asked == [3]
    # Friday: the clock crosses midnight, nothing is traded, the window ends.
    assert await after.step() == 0

    assert to_new_york(clock.now_ms()).date() == FRIDAY
    assert learner.asked == [3]  # Thursday's outcomes are not Friday's: not asked again
    assert len(store.insights("SPY", clock.now_ms(), 10)) == 1


async def test_after_close_when_learner_fails_then_logged_and_next_day_still_learned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock(MORNING)
    book, store = DayBook(clock), MemorySessionStore()
    trade_the_morning(book, clock)
    learner = Counting(fail=True)
    after = hook(clock, book, learner, store)

    with caplog.at_level(logging.ERROR, logger="brain.conversations.after_close"):
        assert await after.step() == 0
    assert "insights for 2026-12-03 failed" in caplog.text

    learner.fail = False
    clock.set(from_datetime(datetime.combine(FRIDAY, time(11), tzinfo=NEW_YORK)))
    trade_the_morning(book, clock)
    assert await after.step() == 1
    assert learner.asked == [3, 3]
