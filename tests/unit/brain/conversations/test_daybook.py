"""The day's outcomes from literal engine events: an opening proposal and the gate's
decision make an outcome, a close puts its P&L on it, and a new New York day starts empty."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from brain.conversations.daybook import DayBook
from brain.conversations.insights import Outcome
from brain.engine import EngineEvent
from brain.proposals import close_equity_proposal
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
from tradier.clock import NEW_YORK, ManualClock, from_datetime

DAY = date(2026, 12, 3)
T0 = from_datetime(datetime.combine(DAY, time(10, 30), tzinfo=NEW_YORK))
HOUR = 3_600_000


def opening(n: int, symbol: str = "SPY") -> Proposal:
    return Proposal(
        id=str(uuid.UUID(int=n)),
        created_at=T0,
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


def sent(clock: ManualClock, proposal: Proposal) -> EngineEvent:
    return EngineEvent(
        clock.now_ms(), "proposal", proposal.symbol, "equity_trend", "open", proposal=proposal
    )


def decided(clock: ManualClock, proposal: Proposal, decision: Decision) -> EngineEvent:
    return EngineEvent(
        clock.now_ms(), "decision", proposal.symbol, "equity_trend", "x", decision=decision
    )


def test_daybook_when_approved_then_closed_then_outcome_carries_its_pnl() -> None:
    clock = ManualClock(T0)
    book = DayBook(clock)
    p = opening(1)
    book.record(sent(clock, p))
    approved = Decision(p.id, DecisionKind.APPROVED, order_state=OrderState.FILLED)
    book.record(decided(clock, p, approved))
    clock.advance(HOUR)
    close = close_equity_proposal(
        "SPY",
        EquitySide.BUY,
        10,
        Decimal("498.00"),
        proposal_id=str(uuid.UUID(int=2)),
        created_at_ms=clock.now_ms(),
        source_name="equity_trend",
        context={"exit": "stop_loss", "position": p.id},
    )
    book.record(sent(clock, close))
    book.record(decided(clock, close, Decision(close.id, DecisionKind.APPROVED)))
    book.closed(p.id, Decimal("-22.50"))

    assert book.outcomes(DAY) == [
        Outcome(p.id, "SPY", "equity_trend", "APPROVED", None, "FILLED", "-22.50")
    ]


def test_daybook_when_rejected_then_outcome_names_the_reason_code() -> None:
    clock = ManualClock(T0)
    book = DayBook(clock)
    p = opening(3, "QQQ")
    book.record(sent(clock, p))
    rejected = Decision(p.id, DecisionKind.REJECTED, reason_code=ReasonCode.STATE_HALTED)
    book.record(decided(clock, p, rejected))

    [outcome] = book.outcomes(DAY)
    assert (outcome.symbol, outcome.decision, outcome.reason_code, outcome.pnl) == (
        "QQQ",
        "REJECTED",
        "STATE_HALTED",
        None,
    )


def test_daybook_when_sent_but_never_decided_then_no_outcome() -> None:
    clock = ManualClock(T0)
    book = DayBook(clock)
    book.record(sent(clock, opening(4)))

    assert book.outcomes(DAY) == []


def test_daybook_when_new_new_york_day_then_reset_and_old_day_gives_nothing() -> None:
    clock = ManualClock(T0)
    book = DayBook(clock)
    p = opening(5)
    book.record(sent(clock, p))
    book.record(decided(clock, p, Decision(p.id, DecisionKind.APPROVED)))
    clock.advance(24 * HOUR)
    later = opening(6)
    book.record(sent(clock, later))
    book.record(decided(clock, later, Decision(later.id, DecisionKind.APPROVED)))
    book.closed(p.id, Decimal("10"))  # yesterday's position: no outcome of today

    assert book.day == date(2026, 12, 4)
    assert book.outcomes(DAY) == []
    assert [o.proposal_id for o in book.outcomes(date(2026, 12, 4))] == [later.id]
    assert all(o.pnl is None for o in book.outcomes(date(2026, 12, 4)))
