"""Literal fills, proposals and decisions for the report's unit tests."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from brain.engine import EngineEvent
from edgegate.report.records import (
    BrokerFigures,
    BrokerPosition,
    BrokerSnapshot,
    EquityPoint,
    Fill,
    PricePoint,
    RunRecord,
)
from gatekeeper.contract import Proposal, decode_proposal
from gatekeeper.messages import Decision, DecisionKind, OrderState, ReasonCode
from gatekeeper.records import AuditEntry

DAY = date(2026, 11, 18)
OPEN_MS = 1_795_012_200_000  # 2026-11-18 09:30 New York
CASH = Decimal(100_000)


def at(minutes: float) -> int:
    """`minutes` after the open, epoch ms."""
    return OPEN_MS + int(minutes * 60_000)


def fill(
    minutes: float,
    instrument: str,
    quantity: int,
    price: str,
    *,
    order_id: int = 1000,
    proposal_id: str = "",
    side: str | None = None,
) -> Fill:
    """A fill of `instrument` (an OCC symbol is an option, x100)."""
    option = len(instrument) > 6
    return Fill(
        at_ms=at(minutes),
        order_id=order_id,
        proposal_id=proposal_id,
        underlying=instrument[:3] if option else instrument,
        instrument=instrument,
        side=side or ("buy" if quantity > 0 else "sell"),
        quantity=quantity,
        price=Decimal(price),
        multiplier=100 if option else 1,
    )


def equity_proposal(minutes: float, intent: str, side: str, quantity: int = 10) -> Proposal:
    """A market equity proposal on SPY."""
    raw: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": at(minutes),
        "symbol": "SPY",
        "strategy": "equity",
        "intent": intent,
        "quantity": quantity,
        "order_type": "market",
        "duration": "day",
        "side": side,
        "source": {"kind": "signal", "name": "equity_trend"},
    }
    return decode_proposal(json.dumps(raw).encode())


def proposed(proposal: Proposal, summary: str = "equity long") -> EngineEvent:
    """The engine's proposal event."""
    return EngineEvent(proposal.created_at, "proposal", "SPY", "equity_trend", summary, proposal)


def decided(
    proposal: Proposal, reason: ReasonCode | None = None, words: str | None = None
) -> EngineEvent:
    """The engine's decision event: approved and filled, or rejected for `reason`."""
    decision = Decision(
        proposal_id=proposal.id,
        decision=DecisionKind.REJECTED if reason else DecisionKind.APPROVED,
        reason_code=reason,
        reason=words,
        order_state=OrderState.NONE if reason else OrderState.FILLED,
    )
    detail = f"{decision.decision.value}"
    return EngineEvent(
        proposal.created_at, "decision", "SPY", "equity_trend", detail, decision=decision
    )


def run_record(
    fills: tuple[Fill, ...],
    marks: dict[str, Decimal],
    figures: BrokerFigures,
    events: list[EngineEvent],
    **extra: Any,
) -> RunRecord:
    """A finished run of an hour with `fills` and `events`."""
    final = BrokerSnapshot(at(60), CASH, fills, marks, figures)
    return RunRecord(
        day=DAY,
        seed=7,
        start_ms=OPEN_MS,
        end_ms=at(60),
        events=events,
        final=final,
        equity=extra.pop(
            "equity", (EquityPoint(at(60), figures.total_equity, figures.total_equity),)
        ),
        prices=extra.pop(
            "prices", {"SPY": [PricePoint(at(m), Decimal(500 + m)) for m in range(1, 61)]}
        ),
        **extra,
    )


def audit_line(proposal: Proposal, decision: str, reason_code: str = "") -> AuditEntry:
    """The gate's audit line for a decision on `proposal`."""
    return AuditEntry(
        "2026-11-18", proposal.created_at, proposal.id, "decision", "SPY", decision, reason_code,
        {"strategy": "equity", "intent": proposal.intent.value},
    )  # fmt: skip


def figures(
    equity: str, cash: str, open_pl: str, close_pl: str, *positions: BrokerPosition
) -> BrokerFigures:
    """Broker figures from literal strings."""
    return BrokerFigures(
        Decimal(equity), Decimal(cash), Decimal(open_pl), Decimal(close_pl), tuple(positions)
    )
