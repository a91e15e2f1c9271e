"""The run read as a trader reads it: proposals with their decisions, orders with their fills.

Shared by the closing summary, report.html and trades.csv, so all three say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from brain.engine import EngineEvent
from edgegate.report.pnl import Book, BookedFill
from gatekeeper.contract import Decision, Proposal


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """One proposal the brain sent, and the gate's last word on it."""

    at_ms: int
    proposal: Proposal
    strategy: str  # the brain's strategy that made it (the contract's is the structure)
    summary: str  # what the brain said it was: the structure, or the exit's reason
    decision: Decision | None  # None: the gate's answer never arrived

    @property
    def verdict(self) -> str:
        """APPROVED, REJECTED, or NO ANSWER."""
        return "NO ANSWER" if self.decision is None else self.decision.decision.value

    @property
    def reason_code(self) -> str:
        """The gate's reason code for a refusal ('' otherwise)."""
        code = None if self.decision is None else self.decision.reason_code
        return "" if code is None else code.value

    @property
    def reason(self) -> str:
        """The gate's reason in words ('' when it gave none)."""
        return "" if self.decision is None else self.decision.reason or ""


def proposal_rows(events: Sequence[EngineEvent]) -> list[ProposalRow]:
    """Every proposal in the order sent, each with the last decision the brain heard."""
    decisions: dict[str, Decision] = {}
    for event in events:
        if event.decision is not None:
            decisions[event.decision.proposal_id] = event.decision
    return [
        ProposalRow(e.at_ms, e.proposal, e.strategy, e.detail, decisions.get(e.proposal.id))
        for e in events
        if e.proposal is not None
    ]


@dataclass(frozen=True, slots=True)
class OrderFill:
    """One broker order's executions, tied to the proposal whose id it carries as its tag."""

    order_id: int
    at_ms: int
    underlying: str
    strategy: str
    intent: str  # open, close, or '' for an order no proposal of this run explains
    legs: tuple[BookedFill, ...]

    @property
    def cash(self) -> Decimal:
        """Net cash the order moved: + received, - paid."""
        return sum((leg.cash for leg in self.legs), Decimal(0))

    @property
    def realised(self) -> Decimal:
        """P&L the order realised (0 for an opening)."""
        return sum((leg.realised for leg in self.legs), Decimal(0))

    @property
    def proposal_id(self) -> str:
        """The proposal id the order is tagged with."""
        return self.legs[0].fill.proposal_id


def order_fills(book: Book, rows: Sequence[ProposalRow]) -> list[OrderFill]:
    """The book's fills grouped by order, in the order they filled."""
    by_id = {row.proposal.id: row for row in rows}
    grouped: dict[int, list[BookedFill]] = {}
    for booked in book.booked:
        grouped.setdefault(booked.fill.order_id, []).append(booked)
    orders = []
    for order_id, legs in grouped.items():
        first = legs[0].fill
        row = by_id.get(first.proposal_id)
        orders.append(
            OrderFill(
                order_id=order_id,
                at_ms=first.at_ms,
                underlying=first.underlying,
                strategy="" if row is None else row.strategy,
                intent="" if row is None else row.proposal.intent.value,
                legs=tuple(legs),
            )
        )
    return sorted(orders, key=lambda o: (o.at_ms, o.order_id))
