"""What a demo run leaves behind for its report: typed, frozen, and free of the simulator.

The recorder (`edgegate.report.recorder`) fills these from the simulator's broker and the
gate's store while the run goes on; the P&L book, the closing summary, `report.html` and
`trades.csv` read only these, so each can be tested on literal values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from brain.engine import EngineEvent
from gatekeeper.records import AuditEntry


@dataclass(frozen=True, slots=True)
class Fill:
    """One instrument's execution at the broker (a multi-leg order fills once per leg)."""

    at_ms: int
    order_id: int
    proposal_id: str  # the order's tag: the gate tags every order with its proposal id
    underlying: str
    instrument: str  # the equity symbol, or the OCC symbol of an option leg
    side: str  # the broker's side: buy, sell_to_open, buy_to_close, ...
    quantity: int  # signed: + bought, - sold
    price: Decimal  # per share or per contract, as the broker filled it
    multiplier: int  # 1 for shares, 100 for option contracts


@dataclass(frozen=True, slots=True)
class BrokerPosition:
    """A position as the broker's ledger holds it."""

    instrument: str
    quantity: int
    cost_basis: Decimal


@dataclass(frozen=True, slots=True)
class BrokerFigures:
    """The broker's own account figures, exactly as its /balances body reports them."""

    total_equity: Decimal
    total_cash: Decimal
    open_pl: Decimal
    close_pl: Decimal
    positions: tuple[BrokerPosition, ...] = ()


@dataclass(frozen=True, slots=True)
class BrokerSnapshot:
    """Fills so far, the marks of what is held, and the broker's figures, at one instant."""

    at_ms: int
    starting_cash: Decimal
    fills: tuple[Fill, ...]
    marks: Mapping[str, Decimal]  # instrument -> mid mark (the broker's valuation price)
    figures: BrokerFigures
    working_orders: int = 0


@dataclass(frozen=True, slots=True)
class EquityPoint:
    """Account equity at one minute: computed from fills and marks, and the broker's."""

    at_ms: int
    equity: Decimal
    broker_equity: Decimal


@dataclass(frozen=True, slots=True)
class PricePoint:
    """An underlying's last price at the end of one minute bar."""

    at_ms: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class AnalystReview:
    """One review of a signal by the analyst, as the report shows it.

    The analyst (brain/analyst, issue 9) feeds these; the report shows whatever it is given
    and says plainly when a run had none.
    """

    at_ms: int
    symbol: str
    strategy: str
    verdict: str  # approve | veto | adjust | abstain
    rationale: str
    reviewer: str  # the model id, or the offline analyst's name (never Claude's)
    proposal_id: str | None = None
    cost_usd: Decimal | None = None  # None: not known here (the call log has it)


@dataclass(frozen=True)
class RunRecord:
    """Everything the closing summary, report.html and trades.csv are made of."""

    day: date
    seed: int
    start_ms: int
    end_ms: int
    events: Sequence[EngineEvent]
    final: BrokerSnapshot
    equity: Sequence[EquityPoint] = ()
    prices: Mapping[str, Sequence[PricePoint]] = field(default_factory=dict)
    audit: Sequence[AuditEntry] = ()
    reviews: Sequence[AnalystReview] = ()
    constitution: str = ""  # the constitution file the gate ran with
